"""Tracker views, thin: authenticate, validate a form, call a service or selector, render."""
