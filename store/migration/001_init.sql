-- Webhook events as they arrived, one row a delivery. A row is the promise that the event
-- will be handled: it is written before the webhook is acknowledged.
CREATE TABLE events (
	id              INTEGER PRIMARY KEY,
	source          TEXT    NOT NULL,             -- chatwoot | telco
	name            TEXT    NOT NULL,             -- message_created, conversation_opened, ...
	delivery_id     TEXT,                         -- X-Chatwoot-Delivery, same on every retry
	dedupe_key      TEXT,                         -- message id for message_created
	conversation_id INTEGER NOT NULL DEFAULT 0,   -- the lane: one conversation's events run in order
	body            BLOB    NOT NULL,
	received_at     INTEGER NOT NULL,             -- unix ms
	processed_at    INTEGER,
	outcome         TEXT,
	error           TEXT
);
CREATE UNIQUE INDEX events_delivery ON events (delivery_id) WHERE delivery_id IS NOT NULL;
CREATE UNIQUE INDEX events_dedupe ON events (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX events_unprocessed ON events (conversation_id, id) WHERE processed_at IS NULL;

-- The bot's view of each conversation; state is the domain's JSON document.
CREATE TABLE conversations (
	account_id      INTEGER NOT NULL,
	conversation_id INTEGER NOT NULL,
	state           TEXT    NOT NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	PRIMARY KEY (account_id, conversation_id)
);
CREATE INDEX conversations_by_id ON conversations (conversation_id);

-- Every call toward Chatwoot, written in the transaction of the state change that caused it.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL,
	conversation_id INTEGER NOT NULL,
	kind            TEXT    NOT NULL,
	payload         TEXT    NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'pending', -- pending | sent | dead
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,                   -- unix ms
	last_error      TEXT,
	event_id        INTEGER,
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox (conversation_id, id) WHERE status = 'pending';
CREATE INDEX outbox_status ON outbox (status, id);
