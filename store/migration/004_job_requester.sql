-- Who asked for a router update: the Chatwoot contact, its phone, and whether the router
-- id was typed by the customer (1) rather than taken from the contact's attribute (0). The
-- telco (or the GenieACS owner check) refuses a router that is not the requester's.
ALTER TABLE jobs ADD COLUMN contact_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN phone      TEXT    NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN typed      INTEGER NOT NULL DEFAULT 0;
