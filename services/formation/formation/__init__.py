"""Formation: training modules and sessions, registrations, waitlists, attendance."""
