"""The newsroom's rules: reads, batch loads and commands over a session.

Nothing here knows of GraphQL or HTTP. Functions `flush()`, never `commit()`: the caller
owns the transaction.
"""
