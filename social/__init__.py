"""The social graph: who follows whom (knows users, never posts)."""
