"""Data that flows one way through the pipeline: cells with their addresses, the API
models, the layout profile, what the mapper found (offers and problems), upload records.
"""
