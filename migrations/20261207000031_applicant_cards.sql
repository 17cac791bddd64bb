-- The task page's applicant cards read every applicant's record in one statement
-- (read::task_page::evidence): their conversations, for the response time and the credit score's
-- response rate, and the cancellations they proposed. These keep it a few index lookups per
-- applicant instead of a scan of each table per applicant.
CREATE INDEX task_messages_developer ON task_messages (developer_id, task_id, created_at);
CREATE INDEX task_events_cancel_proposed ON task_events (actor_id) WHERE kind = 'cancel_proposed';
