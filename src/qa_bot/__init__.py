"""Telegram front end of the party-building report Q&A: routes updates and renders answers."""
