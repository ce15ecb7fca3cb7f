-- When a row's calls started failing (unix ms): BOT_OUTBOX_RETRY_FOR counts from there. A
-- row that was never refused, or only throttled (429), has none.
ALTER TABLE outbox ADD COLUMN failing_since INTEGER;
