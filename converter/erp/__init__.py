"""Stage 3, SoftOne GO: the API client, credentials, redaction of secrets, a session
(connect, target identity), the journal and the uploader.
"""
