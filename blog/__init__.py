"""The blog: posts, comments, moderation, timelines, feeds, and the profile page that lists posts."""
