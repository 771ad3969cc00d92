FROM python:3.11-slim
WORKDIR /srv
COPY pyproject.toml ./
COPY app ./app
COPY search ./search
COPY push ./push
RUN pip install --no-cache-dir .
ENV STORE_URL=sqlite:///./var/buyer.db
EXPOSE 8000
CMD ["buyer-api", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-worker"]
