-- The header's bell counts a user's unread notifications on every page: a partial index keeps that one
-- small index lookup however long the read history grows.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- "Someone else was chosen" becomes a kind of its own instead of a code in the note, which the
-- notification list shows as the merchant's words.
UPDATE notifications SET kind = 'application_not_chosen', note = ''
WHERE kind = 'application_declined' AND note = 'another_developer_chosen';
