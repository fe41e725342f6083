-- LTI 1.3: the platforms (LMSs) an admin registered, the launches in flight, and how an LMS's
-- courses, people and links map onto newslit's classes, users and assignments.

CREATE TABLE lti_platforms (
    id              uuid PRIMARY KEY,
    issuer          text NOT NULL,                  -- the platform's `iss`
    client_id       text NOT NULL,                  -- newslit's client id at that platform
    deployment_ids  text[] NOT NULL CHECK (cardinality(deployment_ids) > 0),
    auth_url        text NOT NULL,                  -- OIDC authorization endpoint
    token_url       text NOT NULL,                  -- OAuth 2 token endpoint (services)
    jwks_url        text NOT NULL,                  -- the platform's public keys
    name            text,
    created_by      uuid NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (issuer, client_id)
);
CREATE INDEX lti_platforms_page ON lti_platforms (created_at, id);

-- One OIDC login in flight: `state` and `nonce` are made at login initiation and consumed, once,
-- by the launch that comes back, on whichever instance it arrives.
CREATE TABLE lti_logins (
    state           text PRIMARY KEY,
    nonce           text NOT NULL UNIQUE,
    platform_id     uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    target_link_uri text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX lti_logins_expiry ON lti_logins (expires_at);

-- An LMS course (context) and the newslit class it is.
CREATE TABLE lti_contexts (
    platform_id              uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    context_id               text NOT NULL,
    class_id                 uuid NOT NULL UNIQUE REFERENCES classes (id) ON DELETE CASCADE,
    title                    text,
    -- Names and Role Provisioning Services: where the roster is read (from the last launch).
    memberships_url          text,
    roster_synced_at         timestamptz,
    created_at               timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (platform_id, context_id)
);

-- An LMS user and the newslit user they are.
CREATE TABLE lti_users (
    platform_id  uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    sub          text NOT NULL,
    user_id      uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (platform_id, sub)
);
CREATE INDEX lti_users_user ON lti_users (user_id);

-- A placement of newslit in a course (resource link) and the assignment it opens, with the
-- Assignment and Grade Services endpoints the platform announced for it.
CREATE TABLE lti_resource_links (
    platform_id       uuid NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    resource_link_id  text NOT NULL,
    assignment_id     uuid NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    lineitems_url     text,
    lineitem_url      text,                -- the line item scores go to, once known
    ags_scopes        text[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (platform_id, resource_link_id)
);
CREATE INDEX lti_resource_links_assignment ON lti_resource_links (assignment_id);
