-- Talent search (找开发者, /developers): what a developer says about taking work, and the index
-- merchants search developers by.
--
-- Availability: 'available' (接单中), 'busy' (忙碌) or 'paused' (暂停接单), optionally until a China
-- calendar day; once that day has passed the developer counts as available again
-- (app::domain::talent::Availability). The expected rate is per hour, in fen; NULL: not stated.
ALTER TABLE users
    ADD COLUMN availability TEXT NOT NULL DEFAULT 'available'
        CHECK (availability IN ('available', 'busy', 'paused')),
    ADD COLUMN available_until DATE,
    ADD COLUMN expected_rate_fen BIGINT CHECK (expected_rate_fen IS NULL OR expected_rate_fen > 0),
    ADD CONSTRAINT availability_until_only_when_away CHECK (availability <> 'available' OR available_until IS NULL);

-- A developer's words, cut in Rust (app::search) like the hall's: name and skills weighted A,
-- headline B, finished task titles C, introduction D, plus one 'tag:<slug>' lexeme per skill for
-- the tag filters. NULL marks a developer not indexed yet (the server back-fills at startup).
-- `talent_standing` is the query-independent part of the ranking (level, rating, finished work;
-- app::domain::talent::standing), stored so a search reads its best candidates first.
ALTER TABLE users
    ADD COLUMN search_tsv tsvector,
    ADD COLUMN talent_standing INTEGER NOT NULL DEFAULT 0;

-- Only developers with a public card are ever searched: the indexes hold only them.
CREATE INDEX users_talent_search ON users USING gin (search_tsv) WHERE role = 'developer' AND card_public;
CREATE INDEX users_talent_standing ON users (talent_standing DESC, id) WHERE role = 'developer' AND card_public;
CREATE INDEX users_talent_rate ON users (expected_rate_fen) WHERE role = 'developer' AND card_public;

-- Each result shows the developer's credit score (db::credit::records): its per-user counts use
-- the two indexes by user that migration 31 made for the applicant cards.
