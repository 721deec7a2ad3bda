"""The API benchmark: the GraphQL queries of the contract against a hand-written floor.

``floor.py`` answers the FrontPage and ArticlePage queries with plain Django views and ORM
code, returning byte for byte the JSON the GraphQL endpoint returns; ``urls.py`` serves them
beside the real URLs for the benchmark only (``manage.py bench``). Nothing here is routed in the
CMS itself.
"""
