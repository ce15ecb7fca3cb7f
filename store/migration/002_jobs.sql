-- Router update jobs: one row an attempt. The worker starts the remote operation, polls it
-- while it runs, and fails it at its deadline; callbacks move it forward too. Progress only
-- grows, so a step is told once whatever order callbacks and polls come in.
CREATE TABLE jobs (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL,
	conversation_id INTEGER NOT NULL,
	router_id       TEXT    NOT NULL,
	attempt         INTEGER NOT NULL,             -- 1, 2, ... within the conversation's update
	reference       TEXT    NOT NULL UNIQUE,      -- our idempotency key toward the telco
	operation_id    TEXT,                         -- the telco's id, once started
	state           TEXT    NOT NULL,             -- starting | queued | running | succeeded | failed
	step            TEXT    NOT NULL DEFAULT '',
	detail          TEXT    NOT NULL DEFAULT '',
	progress        INTEGER NOT NULL DEFAULT -1,
	failures        INTEGER NOT NULL DEFAULT 0,   -- consecutive failed calls to the telco
	last_error      TEXT,
	next_check_at   INTEGER NOT NULL,             -- unix ms; when to start or poll next
	deadline_at     INTEGER NOT NULL,             -- unix ms; failed as timed out after this
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	finished_at     INTEGER
);
CREATE INDEX jobs_due ON jobs (next_check_at) WHERE finished_at IS NULL;
CREATE INDEX jobs_operation ON jobs (operation_id);
CREATE INDEX jobs_conversation ON jobs (account_id, conversation_id, id);
