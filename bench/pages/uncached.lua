-- Every request a URL never asked before (`?uncached=THREAD-N` appended), so that no page body kept by
-- tenant version is reused: the cost of a list page on its first view after a change, at load.
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  n = 0
end

function request()
  n = n + 1
  local separator = wrk.path:find("?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "uncached=" .. id .. "-" .. n)
end
