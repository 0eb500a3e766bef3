// name: loaded
// params:
// How much is loaded: articles (catalogs) and AI systems (inventory). Reports refuse to answer
// "no gaps" over an empty store.
MATCH (r:Article)
WITH count(r) AS articles
OPTIONAL MATCH (a:Asset)
RETURN articles, count(a) AS assets
