# Credentials live in Secrets Manager; functions get only the ARN (SPINLEDGER_SECRET_IDS) and load the value at
# start-up. Set the real values after the first apply (infra/README.md); Terraform then leaves them alone.
resource "aws_secretsmanager_secret" "acrcloud" {
  name        = "spinledger/acrcloud"
  description = "ACRCloud identify credentials as {\"ACRCLOUD_ACCESS_KEY\":\"...\",\"ACRCLOUD_ACCESS_SECRET\":\"...\"}"
}

resource "aws_secretsmanager_secret_version" "acrcloud" {
  secret_id     = aws_secretsmanager_secret.acrcloud.id
  secret_string = jsonencode({ ACRCLOUD_ACCESS_KEY = "", ACRCLOUD_ACCESS_SECRET = "" })
  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret" "spotify" {
  name        = "spinledger/spotify"
  description = "Spotify Web API client credentials as {\"SPOTIFY_CLIENT_ID\":\"...\",\"SPOTIFY_CLIENT_SECRET\":\"...\"}"
}

resource "aws_secretsmanager_secret_version" "spotify" {
  secret_id     = aws_secretsmanager_secret.spotify.id
  secret_string = jsonencode({ SPOTIFY_CLIENT_ID = "", SPOTIFY_CLIENT_SECRET = "" })
  lifecycle {
    ignore_changes = [secret_string]
  }
}
