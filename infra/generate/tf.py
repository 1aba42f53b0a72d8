import json, sys
cat = json.load(open(sys.argv[1]))
def hs(x): return json.dumps(x)
def hl(xs): return "[" + ", ".join(hs(x) for x in xs) + "]"
o = []
w = o.append
w("""# What SpinLedger deploys, as data: mirrors io.spinledger.config.{FunctionCatalogue,QueueName,TableName,BucketName}.
# Literal values only: infra-tests' InfraContractTest parses this file and compares it with the code, and the
# other .tf files build every resource from these maps. Change the code first, then this file.
locals {
  # the media bucket is named var.media_bucket_name, or "<bucket_base>-<account id>-<region>" when that is empty
  # (S3 bucket names are global); bucket_base is the code's default name, BucketName.DEFAULT_MEDIA
  bucket_base = %s

  # queue name => its dead-letter queue, visibility timeout (>= 6x the consumer's timeout) and max receives
  queues = {
""" % hs(cat['bucket']))
for q in cat['queues']:
    w(f"    {hs(q['name'])} = {{ dlq = {hs(q['dlq'])}, visibility_timeout_seconds = {q['visibility']}, max_receive_count = {q['maxReceive']} }}\n")
w("""  }

  # table name => TTL on expiresAt, point-in-time recovery (every table: string pk + sk, on demand)
  tables = {
""")
for t in cat['tables']:
    w(f"    {hs(t['name'])} = {{ ttl = {str(t['ttl']).lower()}, point_in_time_recovery = {str(t['enum']=='LEDGER').lower()} }}\n")
w("""  }

  # function definition (SPRING_CLOUD_FUNCTION_DEFINITION) => deployment; trigger QUEUE, SCHEDULE or HTTP
  functions = {
""")
for f in cat['functions']:
    w(f"""    {f['definition']} = {{
      name           = {hs(f['name'])}
      module         = {hs(f['module'])}
      main_class     = {hs(f['mainClass'])}
      trigger        = {hs(f['trigger'])}
      queue          = {hs(f['queue'])}
      batch_size     = {f['batchSize']}
      schedule       = {hs(f['schedule'])}
      routes         = {hl(f['routes'])}
      timeout        = {f['timeout']}
      memory         = {f['memory']}
      decodes_audio  = {str(f['audio']).lower()}
      sends          = {hl(f['sends'])}
      read_tables    = {hl(f['readTables'])}
      write_tables   = {hl(f['writeTables'])}
      read_prefixes  = {hl(f['readPrefixes'])}
      write_prefixes = {hl(f['writePrefixes'])}
      secrets        = {hl(f['secrets'])}
    }}
""")
c = cat['capture']
w(f"""  }}

  # the capture service (io.spinledger.config.CaptureService): CaptureWorkerApplication on ECS Fargate, its task size
  # defaults and its task role's grants (send, read/write tables, get/list/put object prefixes; never delete)
  capture = {{
    name               = {hs(c['name'])}
    module             = {hs(c['module'])}
    main_class         = {hs(c['mainClass'])}
    cpu                = {c['cpu']}
    memory             = {c['memory']}
    desired_count      = {c['desiredCount']}
    streams_per_worker = {c['streamsPerWorker']}
    metric_namespace   = {hs(c['metricNamespace'])}
    metric             = {hs(c['metric'])}
    sends              = {hl(c['sends'])}
    write_tables       = {hl(c['writeTables'])}
    get_prefixes       = {hl(c['getPrefixes'])}
    list_prefixes      = {hl(c['listPrefixes'])}
    put_prefixes       = {hl(c['putPrefixes'])}
  }}
}}
""")
print("".join(o), end="")
