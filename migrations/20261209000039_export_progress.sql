-- When an export last moved. A starting server used to fail every unfinished export, including
-- those another instance was still building; now only an export silent for minutes is failed, by
-- whichever instance looks. Defaulted, so the release before this one keeps writing exports.
ALTER TABLE report_exports ADD COLUMN progressed_at timestamptz NOT NULL DEFAULT now();
