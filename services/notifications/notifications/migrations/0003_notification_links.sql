-- depends: 0002_notifications
-- The portail's page about a notification (a path of ours, never another site's).

ALTER TABLE notifications ADD COLUMN path text CHECK (path ~ '^/[a-z0-9][a-z0-9/-]*$');
