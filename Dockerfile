# The Avoin server image: one uvicorn process; migrations run before it starts.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/avoin
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
# Voikko and its Finnish dictionary: the glossary finds inflected words by their base forms.
RUN apt-get update && apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
    && rm -rf /var/lib/apt/lists/*
RUN pip install . && pybabel compile -d app/translations -D messages && useradd --system --home /srv/avoin avoin && mkdir -p var && chown avoin var
USER avoin
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["sh", "-c", "avoin migrate && exec avoin serve --host 0.0.0.0 --port 8000"]
