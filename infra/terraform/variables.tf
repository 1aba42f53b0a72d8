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
  description = "Days chunk WAVs (chunks/, now only unmatched live chunks and air-check chunks) are kept."
  type        = number
  default     = 7
  validation {
    condition     = var.chunk_retention_days >= 1
    error_message = "chunk_retention_days must be at least 1."
  }
}

variable "evidence_retention_days" {
  description = "Days the compressed evidence of live streams (evidence/) is kept; air-checks, reference audio and the index are kept."
  type        = number
  default     = 30
  validation {
    condition     = var.evidence_retention_days >= 1
    error_message = "evidence_retention_days must be at least 1."
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

# --- the capture service (capture.tf)
variable "capture_image_uri" {
  description = "Container image of the capture service (CaptureWorkerApplication, linux/arm64), e.g. <account>.dkr.ecr.<region>.amazonaws.com/spinledger-capture:<tag> (infra/capture/Dockerfile)."
  type        = string
}

variable "capture_cpu" {
  description = "CPU units of one capture task (1024 = 1 vCPU); null = the catalogue's default (1024). Fargate allows only certain CPU/memory pairs."
  type        = number
  default     = null
}

variable "capture_memory" {
  description = "Memory (MiB) of one capture task; null = the catalogue's default (2048). Holds the fingerprint index and the streams' recent audio."
  type        = number
  default     = null
}

variable "capture_desired_count" {
  description = "Capture tasks (one worker each); capacity = tasks x streams per worker. null = the catalogue's default (1)."
  type        = number
  default     = null
}

variable "capture_streams_per_worker" {
  description = "SPINLEDGER_STREAMS_PER_WORKER, streams one capture task holds at most; null = the catalogue's default (200)."
  type        = number
  default     = null
}

variable "capture_capacity_provider" {
  description = "FARGATE, or FARGATE_SPOT (cheaper, tasks can be reclaimed with a two-minute warning; other tasks take their stations within seconds)."
  type        = string
  default     = "FARGATE"
  validation {
    condition     = contains(["FARGATE", "FARGATE_SPOT"], var.capture_capacity_provider)
    error_message = "capture_capacity_provider must be FARGATE or FARGATE_SPOT."
  }
}

variable "capture_vpc_id" {
  description = "VPC of the capture tasks (its security group is created there, egress only)."
  type        = string
}

variable "capture_subnet_ids" {
  description = "Subnets of the capture tasks; they need outbound internet (NAT gateway, or public subnets with capture_assign_public_ip) for the streams, and a route to ECR, S3, SQS, DynamoDB and CloudWatch Logs."
  type        = list(string)
}

variable "capture_assign_public_ip" {
  description = "Give capture tasks a public IP (public subnets without a NAT gateway); no inbound traffic is allowed either way."
  type        = bool
  default     = false
}
