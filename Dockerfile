# The clausegraph CLI and API. Used by docker-compose.yml's `api` service.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY api ./api
RUN pip install --no-cache-dir . && useradd --create-home clausegraph
USER clausegraph
EXPOSE 8000
CMD ["clausegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
