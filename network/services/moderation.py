"""Reports and what moderators do about them: hide or restore what a member wrote, dismiss a report, or
suspend the author. Every action is one transaction, recorded in Wagtail's audit log, and each reporter
is told the outcome through the outbox. Works on any `MemberContent` (blog posts and comments, forum
threads and replies) without knowing which."""
