-- The deliverer reads each conversation's oldest pending row (its head) after every call:
-- an index in the order of that grouping answers it without sorting the pending rows.
CREATE INDEX outbox_heads ON outbox (account_id, conversation_id, id) WHERE status = 'pending';
DROP INDEX outbox_pending;
