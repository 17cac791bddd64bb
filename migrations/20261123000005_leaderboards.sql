-- Leaderboards read small, indexed summaries, never the event log: all-time boards come from
-- developer_growth / developer_skills, weekly and monthly ones from these per-period totals, which
-- every growth event updates in its own transaction. Periods start on Monday / the 1st, China time.
CREATE TABLE growth_period_totals (
    period       TEXT NOT NULL CHECK (period IN ('week', 'month')),
    starts_on    DATE NOT NULL,
    developer_id UUID NOT NULL REFERENCES users (id),
    xp           BIGINT NOT NULL,
    PRIMARY KEY (period, starts_on, developer_id)
);
CREATE INDEX growth_period_board ON growth_period_totals (period, starts_on, xp DESC, developer_id);

CREATE TABLE skill_period_totals (
    period       TEXT NOT NULL CHECK (period IN ('week', 'month')),
    starts_on    DATE NOT NULL,
    tag_id       INTEGER NOT NULL REFERENCES skill_tags (id),
    developer_id UUID NOT NULL REFERENCES users (id),
    points       BIGINT NOT NULL,
    PRIMARY KEY (period, starts_on, tag_id, developer_id)
);
CREATE INDEX skill_period_board ON skill_period_totals (period, starts_on, tag_id, points DESC, developer_id);

-- Ties are broken by developer id, so the per-skill all-time board gets that total order in its index
-- too (developer_growth_by_xp already has it).
DROP INDEX developer_skills_board;
CREATE INDEX developer_skills_board ON developer_skills (tag_id, points DESC, developer_id);
