# finerworks-mcp over streamable HTTP: a slim image, a non-root user, a health check on /healthz.
#   docker build -t finerworks-mcp .
#   docker run --rm -p 127.0.0.1:8000:8000 -e FINERWORKS_MCP_TOKEN=... -e FINERWORKS_ENV=simulator finerworks-mcp
# Serving 0.0.0.0 inside the container, the server requires FINERWORKS_ALLOWED_HOSTS (the Host values clients use);
# the default below accepts localhost and 127.0.0.1 on any port, which suits a published loopback port.
FROM python:3.11-slim AS wheels
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY finerworks_mcp ./finerworks_mcp
RUN pip wheel --no-cache-dir --wheel-dir /wheels '.[redis]'

FROM python:3.11-slim
RUN useradd --system --create-home --uid 10001 finerworks
COPY --from=wheels /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels 'finerworks-mcp[redis]' && rm -rf /wheels
USER finerworks
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FINERWORKS_ALLOWED_HOSTS=localhost:*,127.0.0.1:*
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
ENTRYPOINT ["finerworks-mcp"]
CMD ["serve", "--transport", "http", "--host", "0.0.0.0", "--port", "8000"]
