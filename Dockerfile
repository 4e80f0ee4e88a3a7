FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY src ./src
# The s3 extra: uploads may live in a bucket. The media folder belongs to the server's user.
RUN pip install --no-cache-dir '.[s3]' && useradd --system cms \
  && mkdir -p /var/lib/cms/media && chown cms /var/lib/cms/media
USER cms
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz').status != 200)"
# Without the `embedded` extra: the image always has CMS_DATABASE_URL. `exec` makes the server
# PID 1, so that `docker stop`'s SIGTERM reaches it (a shell there would not pass it on).
CMD ["sh", "-c", "cms migrate && exec cms serve --host 0.0.0.0 --port 8000"]
