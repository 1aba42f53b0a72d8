import io.spinledger.config.*;
import java.util.*;
import java.util.stream.*;
String q(Object o){ return "\"" + o + "\""; }
String arr(Collection<?> c){ return c.stream().map(Object::toString).sorted().map(x->q(x)).collect(Collectors.joining(",","[","]")); }
var sb = new StringBuilder("{\"functions\":[");
var first = true;
for (var f : FunctionCatalogue.ALL) {
  var a = FunctionCatalogue.access(f);
  if (!first) sb.append(","); first=false;
  sb.append("{\"definition\":"+q(f.definition())+",\"name\":"+q(FunctionCatalogue.functionName(f))+",\"module\":"+q(f.module())+",\"mainClass\":"+q(f.mainClass())+",\"trigger\":"+q(f.trigger())
   +",\"queue\":"+q(f.queue().map(QueueName::queueName).orElse(""))+",\"batchSize\":"+f.batchSize()+",\"schedule\":"+q(f.trigger()==FunctionCatalogue.Trigger.SCHEDULE?FunctionCatalogue.awsScheduleExpression(f):"")
   +",\"routes\":"+f.routes().stream().map(x->q(x)).collect(Collectors.joining(",","[","]"))+",\"timeout\":"+f.timeoutSeconds()+",\"memory\":"+f.memoryMb()+",\"audio\":"+FunctionCatalogue.decodesAudio(f)
   +",\"sends\":"+arr(a.sendsTo().stream().map(QueueName::queueName).toList())+",\"readTables\":"+arr(a.readTables().stream().map(TableName::tableName).toList())+",\"writeTables\":"+arr(a.writeTables().stream().map(TableName::tableName).toList())
   +",\"readPrefixes\":"+arr(a.readPrefixes())+",\"writePrefixes\":"+arr(a.writePrefixes())+",\"secrets\":"+arr(a.secrets())+"}");
}
sb.append("],\"queues\":[");
sb.append(Arrays.stream(QueueName.values()).map(x -> "{\"enum\":"+q(x.name())+",\"name\":"+q(x.queueName())+",\"dlq\":"+q(x.deadLetterQueueName())+",\"visibility\":"+x.visibilityTimeoutSeconds()+",\"maxReceive\":"+x.maxReceiveCount()+"}").collect(Collectors.joining(",")));
sb.append("],\"tables\":[");
sb.append(Arrays.stream(TableName.values()).map(x -> "{\"enum\":"+q(x.name())+",\"name\":"+q(x.tableName())+",\"ttl\":"+x.hasTtl()+"}").collect(Collectors.joining(",")));
sb.append("],\"bucket\":"+q(BucketName.DEFAULT_MEDIA));
var ca = CaptureService.ACCESS;
sb.append(",\"capture\":{\"name\":"+q(CaptureService.NAME)+",\"module\":"+q(CaptureService.MODULE)+",\"mainClass\":"+q(CaptureService.MAIN_CLASS)
 +",\"cpu\":"+CaptureService.DEFAULT_CPU_UNITS+",\"memory\":"+CaptureService.DEFAULT_MEMORY_MB+",\"desiredCount\":"+CaptureService.DEFAULT_DESIRED_COUNT
 +",\"streamsPerWorker\":"+CaptureService.DEFAULT_STREAMS_PER_WORKER+",\"metricNamespace\":"+q(CaptureService.UNMONITORED_METRIC_NAMESPACE)+",\"metric\":"+q(CaptureService.UNMONITORED_METRIC)
 +",\"sends\":"+arr(ca.sendsTo().stream().map(QueueName::queueName).toList())+",\"writeTables\":"+arr(ca.writeTables().stream().map(TableName::tableName).toList())
 +",\"getPrefixes\":"+arr(ca.getPrefixes())+",\"listPrefixes\":"+arr(ca.listPrefixes())+",\"putPrefixes\":"+arr(ca.putPrefixes())+"}}");
System.out.println(sb);
/exit
