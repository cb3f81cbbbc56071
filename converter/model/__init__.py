"""Data that flows one way through the pipeline: cells with their addresses, the API
models, the layout profile, problems and reports, upload records.
"""
