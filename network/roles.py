"""The site's roles as Django groups (see DESIGN.md). Migration 0002_roles creates them with their admin
permissions: Editors edit pages, images and documents; Moderators also publish and manage members and the
outbox; Hosts and Members have nothing in the admin."""

MEMBERS = "Members"
HOSTS = "Hosts"
MODERATORS = "Moderators"
EDITORS = "Editors"
