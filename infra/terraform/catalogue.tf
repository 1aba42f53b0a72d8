# What SpinLedger deploys, as data: mirrors io.spinledger.config.{FunctionCatalogue,QueueName,TableName,BucketName}.
# Literal values only: infra-tests' InfraContractTest parses this file and compares it with the code, and the
# other .tf files build every resource from these maps. Change the code first, then this file.
locals {
  # the media bucket is named var.media_bucket_name, or "<bucket_base>-<account id>-<region>" when that is empty
  # (S3 bucket names are global); bucket_base is the code's default name, BucketName.DEFAULT_MEDIA
  bucket_base = "spinledger-media"

  # queue name => its dead-letter queue, visibility timeout (>= 6x the consumer's timeout) and max receives
  queues = {
    "spinledger-capture" = { dlq = "spinledger-capture-dlq", visibility_timeout_seconds = 2160, max_receive_count = 5 }
    "spinledger-chunks" = { dlq = "spinledger-chunks-dlq", visibility_timeout_seconds = 180, max_receive_count = 5 }
    "spinledger-fallback" = { dlq = "spinledger-fallback-dlq", visibility_timeout_seconds = 180, max_receive_count = 5 }
    "spinledger-detections" = { dlq = "spinledger-detections-dlq", visibility_timeout_seconds = 180, max_receive_count = 5 }
    "spinledger-enriched" = { dlq = "spinledger-enriched-dlq", visibility_timeout_seconds = 180, max_receive_count = 5 }
    "spinledger-mapped-detections" = { dlq = "spinledger-mapped-detections-dlq", visibility_timeout_seconds = 180, max_receive_count = 5 }
  }

  # table name => TTL on expiresAt, point-in-time recovery (every table: string pk + sk, on demand)
  tables = {
    "spinledger-tracks" = { ttl = false, point_in_time_recovery = false }
    "spinledger-stations" = { ttl = false, point_in_time_recovery = false }
    "spinledger-detections" = { ttl = true, point_in_time_recovery = false }
    "spinledger-plays" = { ttl = false, point_in_time_recovery = false }
    "spinledger-ledger" = { ttl = false, point_in_time_recovery = true }
    "spinledger-cache" = { ttl = true, point_in_time_recovery = false }
    "spinledger-idempotency" = { ttl = true, point_in_time_recovery = false }
  }

  # function definition (SPRING_CLOUD_FUNCTION_DEFINITION) => deployment; trigger QUEUE, SCHEDULE or HTTP
  functions = {
    captureScheduler = {
      name           = "spinledger-capture-scheduler"
      module         = "capture-scheduler"
      main_class     = "io.spinledger.functions.capturescheduler.CaptureSchedulerApplication"
      trigger        = "SCHEDULE"
      queue          = ""
      batch_size     = 0
      schedule       = "rate(1 minute)"
      routes         = []
      timeout        = 30
      memory         = 512
      decodes_audio  = false
      sends          = []
      read_tables    = []
      write_tables   = ["spinledger-stations"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    chunkIngest = {
      name           = "spinledger-chunk-ingest"
      module         = "chunk-ingest"
      main_class     = "io.spinledger.functions.chunkingest.ChunkIngestApplication"
      trigger        = "QUEUE"
      queue          = "spinledger-capture"
      batch_size     = 1
      schedule       = ""
      routes         = []
      timeout        = 360
      memory         = 1536
      decodes_audio  = true
      sends          = ["spinledger-chunks"]
      read_tables    = []
      write_tables   = ["spinledger-detections", "spinledger-stations"]
      read_prefixes  = ["airchecks/"]
      write_prefixes = ["chunks/"]
      secrets        = []
    }
    fingerprintMatch = {
      name           = "spinledger-fingerprint-match"
      module         = "fingerprint-match"
      main_class     = "io.spinledger.functions.fingerprintmatch.FingerprintMatchApplication"
      trigger        = "QUEUE"
      queue          = "spinledger-chunks"
      batch_size     = 5
      schedule       = ""
      routes         = []
      timeout        = 30
      memory         = 2048
      decodes_audio  = true
      sends          = ["spinledger-detections", "spinledger-fallback"]
      read_tables    = []
      write_tables   = ["spinledger-cache", "spinledger-detections"]
      read_prefixes  = ["chunks/", "index/"]
      write_prefixes = []
      secrets        = []
    }
    acrcloudFallback = {
      name           = "spinledger-acrcloud-fallback"
      module         = "acrcloud-fallback"
      main_class     = "io.spinledger.functions.acrcloudfallback.AcrcloudFallbackApplication"
      trigger        = "QUEUE"
      queue          = "spinledger-fallback"
      batch_size     = 5
      schedule       = ""
      routes         = []
      timeout        = 30
      memory         = 1024
      decodes_audio  = false
      sends          = ["spinledger-detections"]
      read_tables    = []
      write_tables   = ["spinledger-cache", "spinledger-detections"]
      read_prefixes  = ["chunks/", "index/", "learned/"]
      write_prefixes = ["index/", "learned/"]
      secrets        = ["ACRCLOUD"]
    }
    isrcEnrichment = {
      name           = "spinledger-isrc-enrichment"
      module         = "isrc-enrichment"
      main_class     = "io.spinledger.functions.isrcenrichment.IsrcEnrichmentApplication"
      trigger        = "QUEUE"
      queue          = "spinledger-detections"
      batch_size     = 10
      schedule       = ""
      routes         = []
      timeout        = 30
      memory         = 1024
      decodes_audio  = false
      sends          = ["spinledger-enriched"]
      read_tables    = ["spinledger-tracks"]
      write_tables   = ["spinledger-cache"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = ["SPOTIFY"]
    }
    proMapping = {
      name           = "spinledger-pro-mapping"
      module         = "pro-mapping"
      main_class     = "io.spinledger.functions.promapping.ProMappingApplication"
      trigger        = "QUEUE"
      queue          = "spinledger-enriched"
      batch_size     = 10
      schedule       = ""
      routes         = []
      timeout        = 30
      memory         = 1024
      decodes_audio  = false
      sends          = ["spinledger-mapped-detections"]
      read_tables    = []
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    playAssembly = {
      name           = "spinledger-play-assembly"
      module         = "plays"
      main_class     = "io.spinledger.functions.plays.PlaysApplication"
      trigger        = "QUEUE"
      queue          = "spinledger-mapped-detections"
      batch_size     = 10
      schedule       = ""
      routes         = []
      timeout        = 30
      memory         = 1024
      decodes_audio  = false
      sends          = []
      read_tables    = ["spinledger-stations", "spinledger-tracks"]
      write_tables   = ["spinledger-detections", "spinledger-ledger", "spinledger-plays"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    isrcEnrichmentRetry = {
      name           = "spinledger-isrc-enrichment-retry"
      module         = "isrc-enrichment"
      main_class     = "io.spinledger.functions.isrcenrichment.IsrcEnrichmentApplication"
      trigger        = "SCHEDULE"
      queue          = ""
      batch_size     = 0
      schedule       = "rate(1 minute)"
      routes         = []
      timeout        = 300
      memory         = 1024
      decodes_audio  = false
      sends          = []
      read_tables    = ["spinledger-tracks"]
      write_tables   = ["spinledger-cache"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = ["SPOTIFY"]
    }
    playPosting = {
      name           = "spinledger-play-posting"
      module         = "plays"
      main_class     = "io.spinledger.functions.plays.PlaysApplication"
      trigger        = "SCHEDULE"
      queue          = ""
      batch_size     = 0
      schedule       = "rate(1 minute)"
      routes         = []
      timeout        = 30
      memory         = 1024
      decodes_audio  = false
      sends          = []
      read_tables    = ["spinledger-stations", "spinledger-tracks"]
      write_tables   = ["spinledger-detections", "spinledger-ledger", "spinledger-plays"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    tracksApi = {
      name           = "spinledger-tracks-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["POST /tracks", "GET /tracks", "GET /tracks/{id}"]
      timeout        = 30
      memory         = 2048
      decodes_audio  = true
      sends          = []
      read_tables    = []
      write_tables   = ["spinledger-tracks"]
      read_prefixes  = ["index/", "references/"]
      write_prefixes = ["index/", "references/"]
      secrets        = []
    }
    stationsApi = {
      name           = "spinledger-stations-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["POST /stations", "GET /stations", "GET /stations/{id}", "POST /stations/{id}/airchecks"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = ["spinledger-capture"]
      read_tables    = []
      write_tables   = ["spinledger-stations"]
      read_prefixes  = []
      write_prefixes = ["airchecks/"]
      secrets        = []
    }
    identifyApi = {
      name           = "spinledger-identify-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["POST /identify"]
      timeout        = 30
      memory         = 2048
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-tracks"]
      write_tables   = ["spinledger-cache"]
      read_prefixes  = ["index/"]
      write_prefixes = []
      secrets        = ["ACRCLOUD"]
    }
    playsApi = {
      name           = "spinledger-plays-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /plays"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-detections", "spinledger-plays", "spinledger-stations"]
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    ledgerApi = {
      name           = "spinledger-ledger-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /ledger/transactions", "GET /ledger/balances"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-ledger"]
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    playEvidenceApi = {
      name           = "spinledger-play-evidence-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /plays/{id}/evidence"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-detections", "spinledger-ledger", "spinledger-plays", "spinledger-stations"]
      write_tables   = []
      read_prefixes  = ["chunks/", "evidence/"]
      write_prefixes = []
      secrets        = []
    }
    disputesApi = {
      name           = "spinledger-disputes-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["POST /plays/{id}/disputes", "GET /plays/{id}/disputes", "POST /plays/{id}/disputes/{disputeId}/resolution"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-detections", "spinledger-plays", "spinledger-stations"]
      write_tables   = ["spinledger-ledger"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    statementsApi = {
      name           = "spinledger-statements-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /statements"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-ledger"]
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    exportsApi = {
      name           = "spinledger-exports-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /exports/music-use-log", "GET /exports/sound-recording-report"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-detections", "spinledger-plays", "spinledger-stations"]
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    isrcApi = {
      name           = "spinledger-isrc-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /isrc/{isrc}", "POST /isrc/batch", "GET /jobs/{id}"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-tracks"]
      write_tables   = ["spinledger-cache"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = ["SPOTIFY"]
    }
    prosApi = {
      name           = "spinledger-pros-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /pros", "GET /pro-mappings"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-tracks"]
      write_tables   = ["spinledger-cache"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = ["SPOTIFY"]
    }
    soundtracksApi = {
      name           = "spinledger-soundtracks-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /soundtracks/{imdbId}"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-tracks"]
      write_tables   = ["spinledger-cache"]
      read_prefixes  = []
      write_prefixes = []
      secrets        = ["SPOTIFY"]
    }
    statsApi = {
      name           = "spinledger-stats-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /stats"]
      timeout        = 30
      memory         = 1024
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-cache"]
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
    healthApi = {
      name           = "spinledger-health-api"
      module         = "http-api"
      main_class     = "io.spinledger.functions.httpapi.HttpApiApplication"
      trigger        = "HTTP"
      queue          = ""
      batch_size     = 0
      schedule       = ""
      routes         = ["GET /health"]
      timeout        = 10
      memory         = 512
      decodes_audio  = true
      sends          = []
      read_tables    = ["spinledger-stations", "spinledger-tracks"]
      write_tables   = []
      read_prefixes  = []
      write_prefixes = []
      secrets        = []
    }
  }

  # the capture service (io.spinledger.config.CaptureService): CaptureWorkerApplication on ECS Fargate, its task size
  # defaults and its task role's grants (send, read/write tables, get/list/put object prefixes; never delete)
  capture = {
    name               = "spinledger-capture"
    module             = "chunk-ingest"
    main_class         = "io.spinledger.functions.chunkingest.worker.CaptureWorkerApplication"
    cpu                = 1024
    memory             = 2048
    desired_count      = 1
    streams_per_worker = 200
    metric_namespace   = "SpinLedger"
    metric             = "UnmonitoredStations"
    sends              = ["spinledger-chunks", "spinledger-detections", "spinledger-fallback"]
    write_tables       = ["spinledger-cache", "spinledger-detections", "spinledger-stations"]
    get_prefixes       = ["chunks/", "index/"]
    list_prefixes      = ["index/"]
    put_prefixes       = ["chunks/", "evidence/"]
  }
}
