"""The morning page of the customer-service assistant: yesterday's log, open work, today's rounds."""

urlpatterns = []
