-- One row the readiness check rewrites when nothing else has been committed for a while:
-- a write that lands says the bot can store now (disk not full, WAL writable).
CREATE TABLE ready_probe (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	at INTEGER NOT NULL -- unix ms of the last probe
);
