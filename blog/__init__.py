"""The blog: posts, comments, moderation, timelines, feeds and search. (The profile page that lists a
user's posts is in the talks app, which lists their talks there too.)"""
