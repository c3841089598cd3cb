"""Talks: talk details on top of posts, embeds, guest comments, speaker moderation."""
