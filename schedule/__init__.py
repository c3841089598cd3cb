"""The private schedule: appointments and the iCalendar export."""
