import json, re, sys
cat = json.load(open(sys.argv[1]))
HANDLER = "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest"
def pascal(s):
    if s.isupper(): return s.capitalize()
    return s[0].upper() + s[1:]
queues = {q['name']: q for q in cat['queues']}
tables = {t['name']: t for t in cat['tables']}
def qid(name): return pascal(queues[name]['enum']) + "Queue"
def dlqid(name): return pascal(queues[name]['enum']) + "DeadLetterQueue"
def tid(name): return pascal(tables[name]['enum']) + "Table"
SECRET_ID = {"ACRCLOUD": "AcrCloudSecret", "SPOTIFY": "SpotifySecret"}
out = []
w = out.append
w("""# SpinLedger on AWS: every function, queue (with its dead-letter queue), table, the media bucket, the HTTP API,
# schedules, roles, secrets, alarms and the capture service (ECS Fargate, CaptureWorkerApplication). Mirrors io.spinledger.config.{FunctionCatalogue,QueueName,TableName,
# BucketName}; infra-tests' InfraContractTest fails when they drift apart. S3 bucket names are global: parameter
# MediaBucketName names the media bucket (empty: %(bucket)s-<account id>-<region>), and every function
# gets that name as SPINLEDGER_MEDIA_BUCKET. Build the jars first
# (mvn -B -Paws -DskipTests package -pl functions/<module> -am, see infra/README.md), then:
#   sam deploy --guided --template-file infra/sam/template.yaml
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: SpinLedger airplay monitoring and royalty pipeline (Spring Cloud Function on Lambda, capture on ECS Fargate, SQS, S3, DynamoDB)

Parameters:
  ChunkRetentionDays:
    Type: Number
    Default: 7
    MinValue: 1
    Description: Days chunk WAVs (chunks/, now only unmatched live chunks and air-check chunks) are kept.
  EvidenceRetentionDays:
    Type: Number
    Default: 30
    MinValue: 1
    Description: Days the compressed evidence of live streams (evidence/) is kept; air-checks, reference audio and the index are kept.
  LogRetentionDays:
    Type: Number
    Default: 30
    AllowedValues: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653]
    Description: CloudWatch Logs retention of every function's log group.
  JwtIssuer:
    Type: String
    Description: OIDC issuer URL whose JWTs the HTTP API accepts (e.g. https://cognito-idp.<region>.amazonaws.com/<pool-id>).
  JwtAudience:
    Type: CommaDelimitedList
    Description: Accepted JWT audiences (client ids).
  AcrCloudHost:
    Type: String
    Default: identify-eu-west-1.acrcloud.com
    Description: ACRCloud identify host of your project's region.
  AlarmEmail:
    Type: String
    Default: ''
    Description: Optional e-mail address subscribed to the alarm topic.
  MediaBucketName:
    Type: String
    Default: ''
    AllowedPattern: '^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$'
    Description: Name of the media bucket (S3 names are global, so each deployment needs its own). Empty = %(bucket)s-<account id>-<region>. Every function gets it as SPINLEDGER_MEDIA_BUCKET.
  CaptureImageUri:
    Type: String
    AllowedPattern: '^\\S+$'
    Description: Container image of the capture service (CaptureWorkerApplication, linux/arm64), e.g. <account>.dkr.ecr.<region>.amazonaws.com/spinledger-capture:<tag> (infra/capture/Dockerfile).
  CaptureCpu:
    Type: String
    Default: '%(cpu)s'
    AllowedValues: ['256', '512', '1024', '2048', '4096', '8192', '16384']
    Description: CPU units of one capture task (1024 = 1 vCPU); Fargate allows only certain CPU/memory pairs.
  CaptureMemory:
    Type: Number
    Default: %(memory)s
    MinValue: 512
    Description: Memory (MiB) of one capture task; holds the fingerprint index and the streams' recent audio.
  CaptureDesiredCount:
    Type: Number
    Default: %(desired)s
    MinValue: 0
    Description: Capture tasks (one worker each); capacity = tasks x CaptureStreamsPerWorker streams.
  CaptureStreamsPerWorker:
    Type: Number
    Default: %(streams)s
    MinValue: 1
    Description: SPINLEDGER_STREAMS_PER_WORKER, streams one capture task holds at most.
  CaptureCapacityProvider:
    Type: String
    Default: FARGATE
    AllowedValues: [FARGATE, FARGATE_SPOT]
    Description: FARGATE, or FARGATE_SPOT (cheaper, tasks can be reclaimed with a two-minute warning; other tasks take their stations within seconds).
  CaptureVpcId:
    Type: AWS::EC2::VPC::Id
    Description: VPC of the capture tasks (its security group is created there, egress only).
  CaptureSubnets:
    Type: List<AWS::EC2::Subnet::Id>
    Description: Subnets of the capture tasks; they need outbound internet (a NAT gateway, or public subnets with CaptureAssignPublicIp=ENABLED) for the stations' streams, and a route to ECR, S3, SQS, DynamoDB and CloudWatch Logs.
  CaptureAssignPublicIp:
    Type: String
    Default: DISABLED
    AllowedValues: [ENABLED, DISABLED]
    Description: ENABLED in public subnets without a NAT gateway (no inbound traffic is allowed either way).

Conditions:
  HasAlarmEmail: !Not [!Equals [!Ref AlarmEmail, '']]
  HasMediaBucketName: !Not [!Equals [!Ref MediaBucketName, '']]

Resources:
""" % {"bucket": cat['bucket'], "cpu": cat['capture']['cpu'], "memory": cat['capture']['memory'], "desired": cat['capture']['desiredCount'], "streams": cat['capture']['streamsPerWorker']})
# secrets
w("""  # --- credentials: values are set after deploy with `aws secretsmanager put-secret-value` (see infra/README.md);
  # functions receive only the secret ARN (SPINLEDGER_SECRET_IDS) and load the value at start-up.
  AcrCloudSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: spinledger/acrcloud
      Description: ACRCloud identify credentials as {"ACRCLOUD_ACCESS_KEY":"...","ACRCLOUD_ACCESS_SECRET":"..."}
      SecretString: '{"ACRCLOUD_ACCESS_KEY":"","ACRCLOUD_ACCESS_SECRET":""}'
  SpotifySecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: spinledger/spotify
      Description: Spotify Web API client credentials as {"SPOTIFY_CLIENT_ID":"...","SPOTIFY_CLIENT_SECRET":"..."}
      SecretString: '{"SPOTIFY_CLIENT_ID":"","SPOTIFY_CLIENT_SECRET":""}'

  # --- alarms go here
  AlarmTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: spinledger-alarms
      KmsMasterKeyId: alias/aws/sns
  AlarmEmailSubscription:
    Type: AWS::SNS::Subscription
    Condition: HasAlarmEmail
    Properties:
      TopicArn: !Ref AlarmTopic
      Protocol: email
      Endpoint: !Ref AlarmEmail

  # --- the media bucket: private, encrypted, TLS only; chunk WAVs and live evidence expire, air-checks and catalog stay
  MediaBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BucketName: !If [HasMediaBucketName, !Ref MediaBucketName, !Sub '%(bucket)s-${AWS::AccountId}-${AWS::Region}']
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
            BucketKeyEnabled: true
      LifecycleConfiguration:
        Rules:
          - Id: expire-chunks
            Status: Enabled
            Prefix: chunks/
            ExpirationInDays: !Ref ChunkRetentionDays
          - Id: expire-evidence
            Status: Enabled
            Prefix: evidence/
            ExpirationInDays: !Ref EvidenceRetentionDays
          - Id: abort-incomplete-uploads
            Status: Enabled
            AbortIncompleteMultipartUpload:
              DaysAfterInitiation: 1
  MediaBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref MediaBucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource:
              - !GetAtt MediaBucket.Arn
              - !Sub '${MediaBucket.Arn}/*'
            Condition:
              Bool:
                'aws:SecureTransport': 'false'
""" % {"bucket": cat['bucket']})
w("  # --- queues: each with a dead-letter queue; visibility timeout >= 6x the consumer's timeout\n")
for q in cat['queues']:
    e = pascal(q['enum'])
    w(f"""  {dlqid(q['name'])}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: {q['dlq']}
      MessageRetentionPeriod: 1209600
      SqsManagedSseEnabled: true
  {qid(q['name'])}:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: {q['name']}
      VisibilityTimeout: {q['visibility']}
      MessageRetentionPeriod: 345600
      SqsManagedSseEnabled: true
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt {dlqid(q['name'])}.Arn
        maxReceiveCount: {q['maxReceive']}
  {e}DeadLetterAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: {q['dlq']}-not-empty
      AlarmDescription: Messages of {q['name']} failed {q['maxReceive']} times and were dead-lettered.
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions:
        - Name: QueueName
          Value: !GetAtt {dlqid(q['name'])}.QueueName
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]
""")
w("  # --- tables: on demand, encrypted; TTL on expiresAt where used; point-in-time recovery on the ledger\n")
for t in cat['tables']:
    extra = ""
    if t['ttl']:
        extra += """      TimeToLiveSpecification:
        AttributeName: expiresAt
        Enabled: true
"""
    if t['enum'] == 'LEDGER':
        extra += """      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
"""
    w(f"""  {tid(t['name'])}:
    Type: AWS::DynamoDB::Table
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      TableName: {t['name']}
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
        - AttributeName: sk
          AttributeType: S
      KeySchema:
        - AttributeName: pk
          KeyType: HASH
        - AttributeName: sk
          KeyType: RANGE
      SSESpecification:
        SSEEnabled: true
{extra}""")
w("""  # --- the HTTP API: every route needs a JWT from the configured issuer (nothing public by accident)
  HttpApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      FailOnWarnings: true
      Auth:
        DefaultAuthorizer: JwtAuthorizer
        Authorizers:
          JwtAuthorizer:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: !Ref JwtIssuer
              audience: !Ref JwtAudience

""")
TREAD = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:DescribeTable", "dynamodb:ConditionCheckItem"]
TWRITE = TREAD + ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]
def lst(xs, ind):
    return "".join(f"\n{' '*ind}- {x}" for x in xs)
def render_stmt(sid, acts, res, cond=None):
    """One IAM policy statement (Sid, Allow, actions, resources, an optional s3:prefix condition) as YAML."""
    out = f"""              - Sid: {sid}
                Effect: Allow
                Action:{lst(acts, 18)}
                Resource:{lst(res, 18)}
"""
    if cond:
        out += f"""                Condition:
                  StringLike:
                    's3:prefix':{lst([p + '*' for p in cond], 22)}
"""
    return out
for f in cat['functions']:
    P = pascal(f['definition'])
    name = f['name']
    stmts = []
    stmts.append(("Logs", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"!GetAtt {P}LogGroup.Arn"], None))
    if f['queue']:
        stmts.append(("ConsumeQueue", ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], [f"!GetAtt {qid(f['queue'])}.Arn"], None))
    if f['sends']:
        stmts.append(("SendQueues", ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], [f"!GetAtt {qid(q)}.Arn" for q in f['sends']], None))
    if f['readTables']:
        stmts.append(("ReadTables", TREAD, [f"!GetAtt {tid(t)}.Arn" for t in f['readTables']], None))
    if f['writeTables']:
        stmts.append(("WriteTables", TWRITE, [f"!GetAtt {tid(t)}.Arn" for t in f['writeTables']], None))
    if f['readPrefixes']:
        stmts.append(("ReadObjects", ["s3:GetObject"], [f"!Sub '${{MediaBucket.Arn}}/{p}*'" for p in f['readPrefixes']], None))
        stmts.append(("ListPrefixes", ["s3:ListBucket"], ["!GetAtt MediaBucket.Arn"], f['readPrefixes']))
    if f['writePrefixes']:
        stmts.append(("WriteObjects", ["s3:PutObject", "s3:DeleteObject"], [f"!Sub '${{MediaBucket.Arn}}/{p}*'" for p in f['writePrefixes']], None))
    if f['secrets']:
        stmts.append(("ReadSecrets", ["secretsmanager:GetSecretValue"], [f"!Ref {SECRET_ID[s]}" for s in f['secrets']], None))
    st = "".join(render_stmt(sid, acts, res, cond) for sid, acts, res, cond in stmts)
    env = [("SPRING_CLOUD_FUNCTION_DEFINITION", f['definition']), ("MAIN_CLASS", f['mainClass']),
           ("LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_CLOUD_FUNCTION_ADAPTER_AWS_AWSLAMBDAUTILS", "WARN")]
    env.append(("SPINLEDGER_SEGMENT_OVERLAP_MS", '"65000"'))
    env.append(("SPINLEDGER_MEDIA_BUCKET", "!Ref MediaBucket"))
    if "ACRCLOUD" in f['secrets']:
        env.append(("ACRCLOUD_HOST", "!Ref AcrCloudHost"))
    if f['secrets']:
        if len(f['secrets']) == 1:
            env.append(("SPINLEDGER_SECRET_IDS", f"!Ref {SECRET_ID[f['secrets'][0]]}"))
        else:
            env.append(("SPINLEDGER_SECRET_IDS", "!Join [',', [" + ", ".join(f"!Ref {SECRET_ID[s]}" for s in f['secrets']) + "]]"))
    envs = "".join(f"\n          {k}: {v}" for k, v in env)
    events = ""
    if f['trigger'] == 'QUEUE':
        events = f"""      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt {qid(f['queue'])}.Arn
            BatchSize: {f['batchSize']}
            FunctionResponseTypes:
              - ReportBatchItemFailures
"""
    elif f['trigger'] == 'SCHEDULE':
        events = f"""      Events:
        Tick:
          Type: Schedule
          Properties:
            Schedule: {f['schedule']}
            Description: {f['definition']} tick (catalogue interval rounded up to AWS's one minute)
"""
    else:
        events = "      Events:\n"
        for r in f['routes']:
            m, path = r.split(" ", 1)
            # logical ids must be alphanumeric: /exports/music-use-log => GetExportsMusicUseLog
            ev = m.capitalize() + "".join(pascal(p) for p in re.split(r"[^A-Za-z0-9]+", path) if p)
            events += f"""        {ev}:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: {m}
            Path: {path}
            PayloadFormatVersion: '2.0'
"""
    jar = f"../../functions/{f['module']}/target/function-{f['module']}-aws.jar"
    w(f"""  # --- {f['definition']}: {f['trigger'].lower()}{' ' + f['queue'] if f['queue'] else ''}
  {P}LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/lambda/{name}
      RetentionInDays: !Ref LogRetentionDays
  {P}Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: {name}
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
{st}  {P}Function:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: {name}
      CodeUri: {jar}
      Handler: {HANDLER}
      Runtime: java21
      Architectures:
        - x86_64
      MemorySize: {f['memory']}
      Timeout: {f['timeout']}
      Role: !GetAtt {P}Role.Arn
      AutoPublishAlias: live
      SnapStart:
        ApplyOn: PublishedVersions
      Environment:
        Variables:{envs}
{events}  {P}ErrorsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: {name}-errors
      AlarmDescription: {name} invocations failed.
      Namespace: AWS/Lambda
      MetricName: Errors
      Dimensions:
        - Name: FunctionName
          Value: !Ref {P}Function
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]

""")
c = cat['capture']
cst = ""
def stmt(sid, acts, res, cond=None):
    global cst
    cst += render_stmt(sid, acts, res, cond)
stmt("SendQueues", ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], [f"!GetAtt {qid(q)}.Arn" for q in c['sends']])
stmt("WriteTables", TWRITE, [f"!GetAtt {tid(t)}.Arn" for t in c['writeTables']])
stmt("ReadObjects", ["s3:GetObject"], [f"!Sub '${{MediaBucket.Arn}}/{p}*'" for p in c['getPrefixes']])
stmt("ListPrefixes", ["s3:ListBucket"], ["!GetAtt MediaBucket.Arn"], c['listPrefixes'])
stmt("PutObjects", ["s3:PutObject"], [f"!Sub '${{MediaBucket.Arn}}/{p}*'" for p in c['putPrefixes']])
w(f"""  # --- the capture service: CaptureWorkerApplication on ECS Fargate (ARM64), one capture worker per task holding up
  # to CaptureStreamsPerWorker streams; tasks share the stations by assignment and heartbeat items in the stations
  # table (docs/capture.md). The watchdog (captureScheduler) prints SpinLedger/UnmonitoredStations, alarmed above 0.
  CaptureCluster:
    Type: AWS::ECS::Cluster
    Properties:
      ClusterName: {c['name']}
      CapacityProviders:
        - FARGATE
        - FARGATE_SPOT
  CaptureLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /ecs/{c['name']}
      RetentionInDays: !Ref LogRetentionDays
  # used by ECS itself to pull the image and ship the container's output to the log group
  CaptureExecutionRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: ecs-tasks.amazonaws.com
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Sub 'arn:${{AWS::Partition}}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy'
  # what the capture worker's code may do: least privilege
  CaptureTaskRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: ecs-tasks.amazonaws.com
            Action: sts:AssumeRole
            Condition:
              ArnLike:
                'aws:SourceArn': !Sub 'arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:*'
      Policies:
        - PolicyName: {c['name']}
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
{cst}  CaptureSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: {c['name']} tasks, egress only (stream servers, AWS APIs)
      VpcId: !Ref CaptureVpcId
      SecurityGroupEgress:
        - IpProtocol: '-1'
          CidrIp: 0.0.0.0/0
          Description: streams on any port, AWS endpoints
  CaptureTaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: {c['name']}
      RequiresCompatibilities:
        - FARGATE
      NetworkMode: awsvpc
      Cpu: !Ref CaptureCpu
      Memory: !Ref CaptureMemory
      RuntimePlatform:
        CpuArchitecture: ARM64
        OperatingSystemFamily: LINUX
      ExecutionRoleArn: !GetAtt CaptureExecutionRole.Arn
      TaskRoleArn: !GetAtt CaptureTaskRole.Arn
      ContainerDefinitions:
        - Name: capture
          Image: !Ref CaptureImageUri
          Essential: true
          # SIGTERM first: streams flush their last chunk and evidence segment and release their stations
          StopTimeout: 120
          Environment:
            - Name: MAIN_CLASS
              Value: {c['mainClass']}
            - Name: AWS_REGION
              Value: !Ref AWS::Region
            - Name: LOGGING_LEVEL_ORG_SPRINGFRAMEWORK_CLOUD_FUNCTION_ADAPTER_AWS_AWSLAMBDAUTILS
              Value: WARN
            - Name: SPINLEDGER_SEGMENT_OVERLAP_MS
              Value: '65000'
            - Name: SPINLEDGER_MEDIA_BUCKET
              Value: !Ref MediaBucket
            - Name: SPINLEDGER_CAPTURE_WORKERS
              Value: '1'
            - Name: SPINLEDGER_STREAMS_PER_WORKER
              Value: !Ref CaptureStreamsPerWorker
          LogConfiguration:
            LogDriver: awslogs
            Options:
              awslogs-group: !Ref CaptureLogGroup
              awslogs-region: !Ref AWS::Region
              awslogs-stream-prefix: capture
  CaptureService:
    Type: AWS::ECS::Service
    Properties:
      ServiceName: {c['name']}
      Cluster: !Ref CaptureCluster
      TaskDefinition: !Ref CaptureTaskDefinition
      DesiredCount: !Ref CaptureDesiredCount
      CapacityProviderStrategy:
        - CapacityProvider: !Ref CaptureCapacityProvider
          Weight: 1
      PlatformVersion: LATEST
      EnableECSManagedTags: true
      PropagateTags: SERVICE
      # a replacing task starts (and takes stations) before the old one is stopped
      DeploymentConfiguration:
        MinimumHealthyPercent: 100
        MaximumPercent: 200
        DeploymentCircuitBreaker:
          Enable: true
          Rollback: true
      NetworkConfiguration:
        AwsvpcConfiguration:
          AssignPublicIp: !Ref CaptureAssignPublicIp
          Subnets: !Ref CaptureSubnets
          SecurityGroups:
            - !Ref CaptureSecurityGroup
  UnmonitoredStationsAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: spinledger-unmonitored-stations
      AlarmDescription: Stations with a stream that no capture worker holds (the watchdog marks them UNMONITORED).
      Namespace: {c['metricNamespace']}
      MetricName: {c['metric']}
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 0
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]
  CaptureCpuAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: {c['name']}-cpu-high
      AlarmDescription: Capture tasks near their CPU for 15 minutes; chunks may fall behind (add tasks or lower CaptureStreamsPerWorker).
      Namespace: AWS/ECS
      MetricName: CPUUtilization
      Dimensions:
        - Name: ClusterName
          Value: !Ref CaptureCluster
        - Name: ServiceName
          Value: !GetAtt CaptureService.Name
      Statistic: Average
      Period: 300
      EvaluationPeriods: 3
      Threshold: 85
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]
  CaptureMemoryAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: {c['name']}-memory-high
      AlarmDescription: A capture task near its memory (fingerprint index plus the streams' recent audio); raise CaptureMemory.
      Namespace: AWS/ECS
      MetricName: MemoryUtilization
      Dimensions:
        - Name: ClusterName
          Value: !Ref CaptureCluster
        - Name: ServiceName
          Value: !GetAtt CaptureService.Name
      Statistic: Maximum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 90
      ComparisonOperator: GreaterThanThreshold
      TreatMissingData: notBreaching
      AlarmActions: [!Ref AlarmTopic]
      OKActions: [!Ref AlarmTopic]

""")
w("""Outputs:
  HttpApiUrl:
    Description: Base URL of the HTTP API (send Authorization Bearer <JWT>)
    Value: !Sub 'https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}'
  MediaBucketName:
    Value: !Ref MediaBucket
  AlarmTopicArn:
    Value: !Ref AlarmTopic
  AcrCloudSecretArn:
    Value: !Ref AcrCloudSecret
  SpotifySecretArn:
    Value: !Ref SpotifySecret
  CaptureClusterName:
    Value: !Ref CaptureCluster
  CaptureServiceName:
    Value: !GetAtt CaptureService.Name
""")
sys.stdout.write("".join(out))
