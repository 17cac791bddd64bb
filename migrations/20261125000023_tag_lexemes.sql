-- A search filtered by tags reads the tags from the search index: each task's vector also holds
-- one lexeme per skill tag, 'tag:<slug>' (app::domain::hall::tag_lexeme), written by
-- app::db::search::index_tasks from now on and added here to the tasks indexed before.
UPDATE tasks t
SET search_tsv = t.search_tsv || array_to_tsvector(ARRAY(
        SELECT 'tag:' || s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id))
WHERE t.search_tsv IS NOT NULL;
-- Every task's row was just rewritten: fresh statistics keep the hall's plans sound until autovacuum.
ANALYZE tasks;
