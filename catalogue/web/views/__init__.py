"""One thin router per page family."""
