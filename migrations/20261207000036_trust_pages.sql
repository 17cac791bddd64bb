-- Trust pages: which version of 用户协议 and 隐私政策 each account accepted and when, and the help
-- centre's contact messages with the admins' replies.

-- One row per document version accepted: the history stays when a newer version is accepted.
-- The versions in force are constants in domain::legal; an account without the current ones is
-- asked again before its next page.
CREATE TABLE legal_consents (
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    document    TEXT NOT NULL CHECK (document IN ('terms', 'privacy', 'rules')),
    version     INTEGER NOT NULL,
    accepted_at TIMESTAMPTZ NOT NULL DEFAULT app_now(),
    PRIMARY KEY (user_id, document, version)
);

-- 联系客服: from a signed-in user (answered with a notice) or a visitor (who may leave an address).
CREATE TABLE support_requests (
    id         BIGSERIAL PRIMARY KEY,
    user_id    UUID REFERENCES users (id) ON DELETE SET NULL,
    email      TEXT,
    topic      TEXT NOT NULL CHECK (topic IN ('account', 'escrow', 'fees', 'dispute', 'withdrawal', 'other')),
    message    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT app_now(),
    reply      TEXT,
    replied_by UUID REFERENCES users (id) ON DELETE SET NULL,
    replied_at TIMESTAMPTZ,
    CHECK ((reply IS NULL) = (replied_at IS NULL))
);

-- The admin queue lists the unanswered first; a user's help page lists their own.
CREATE INDEX support_requests_waiting ON support_requests (id) WHERE replied_at IS NULL;
CREATE INDEX support_requests_by_user ON support_requests (user_id, id DESC) WHERE user_id IS NOT NULL;
