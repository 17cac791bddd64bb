-- The hall's search index. PostgreSQL has no Chinese parser here, so the server cuts a task's
-- title, tags and description into words (jieba, app::search) and stores them as lexemes, title
-- words weighted A, tags B, description D; `search_tsv IS NULL` marks a task not indexed yet (the
-- server back-fills those at startup).
ALTER TABLE tasks ADD COLUMN search_tsv tsvector;
CREATE INDEX tasks_search ON tasks USING gin (search_tsv);
-- Filters and orders the hall offers, over open tasks.
CREATE INDEX tasks_open_reward ON tasks (reward_fen DESC, id) WHERE status = 'open';
CREATE INDEX tasks_open_deadline ON tasks (deadline, id) WHERE status = 'open';
