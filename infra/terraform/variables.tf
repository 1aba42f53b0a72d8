variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "functions_dir" {
  description = "Directory holding the function modules; jars are read from <module>/target/function-<module>-aws.jar (build with mvn -Paws)."
  type        = string
  default     = "../../functions"
}

variable "chunk_retention_days" {
  description = "Days captured chunks (chunks/) are kept; air-checks, reference audio and the index are kept."
  type        = number
  default     = 30
  validation {
    condition     = var.chunk_retention_days >= 1
    error_message = "chunk_retention_days must be at least 1."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of every function's log group."
  type        = number
  default     = 30
}

variable "jwt_issuer" {
  description = "OIDC issuer URL whose JWTs the HTTP API accepts (e.g. https://cognito-idp.<region>.amazonaws.com/<pool-id>)."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted JWT audiences (client ids)."
  type        = list(string)
}

variable "acrcloud_host" {
  description = "ACRCloud identify host of your project's region."
  type        = string
  default     = "identify-eu-west-1.acrcloud.com"
}

variable "media_bucket_name" {
  description = "Name of the media bucket (S3 names are global, so each deployment needs its own). Empty = spinledger-media-<account id>-<region>. Every function gets it as SPINLEDGER_MEDIA_BUCKET."
  type        = string
  default     = ""
  validation {
    condition     = var.media_bucket_name == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.media_bucket_name))
    error_message = "media_bucket_name must be an S3 bucket name: 3-63 characters a-z, 0-9, '.' and '-', starting and ending with a letter or digit."
  }
}

variable "alarm_email" {
  description = "Optional e-mail address subscribed to the alarm topic."
  type        = string
  default     = ""
}
