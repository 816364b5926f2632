"""Watching and notifications: members watch a target (a post, a thread); a new item there (a comment, a
reply) notifies every watcher who may see it, except its author, by one email each through the outbox,
with a one-click unsubscribe link. Works on any `MemberContent` through its `watch_target`."""
