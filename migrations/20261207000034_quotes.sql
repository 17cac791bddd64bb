-- Quotes (报价, `domain::quotes`): an application may propose its own terms, an amount for each
-- milestone and/or a delivery date, with a note. Choosing the application agrees them in the same
-- transaction: the milestones take the quoted amounts, the task's reward their sum, its deadline the
-- date, and the escrow moves by the difference ('terms:<task>' in the ledger).

-- The proposed delivery date (a China calendar day) and the note, masked like the pitch.
ALTER TABLE applications
    ADD COLUMN quote_deliver_by DATE,
    ADD COLUMN quote_note TEXT NOT NULL DEFAULT '';

-- A quote's amounts: one row per milestone of the task when the quote names any amount (a milestone
-- left empty in the form keeps its amount here), none when it names only a date.
CREATE TABLE application_milestone_quotes (
    application_id  UUID NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    milestone_id    UUID NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    amount_fen      BIGINT NOT NULL CHECK (amount_fen > 0),
    -- The milestone's amount when the quote was agreed (NULL until then): what the escrow moved from,
    -- so the record invariants can check the agreement's movement against it.
    agreed_from_fen BIGINT CHECK (agreed_from_fen > 0),
    PRIMARY KEY (application_id, milestone_id)
);
CREATE INDEX application_milestone_quotes_milestone ON application_milestone_quotes (milestone_id);
