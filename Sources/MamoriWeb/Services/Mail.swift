// Mail is infrastructure of its own (MamoriMail: the SMTP client, its message format and the Mailer
// interface); MamoriWeb depends on the interface and passes it on to its users.
@_exported import MamoriMail
