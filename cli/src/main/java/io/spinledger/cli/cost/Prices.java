package io.spinledger.cli.cost;

import java.util.List;

/**
 * AWS list prices the cost model uses: us-east-1, on-demand, free tiers ignored, as published on the AWS pricing
 * pages in 2026. Every amount is in US$.
 *
 * @param fargateArmVcpuHour   Fargate Linux/ARM64 (Graviton), per vCPU-hour
 * @param fargateArmGbHour     Fargate Linux/ARM64, per GB of memory per hour
 * @param publicIpv4Hour       one public IPv4 address per hour (each capture task has one to reach the streams)
 * @param lambdaGbSecond       Lambda x86_64 (the SAM template's architecture), per GB-second
 * @param lambdaPerMillion     Lambda, per million requests
 * @param httpApiPerMillion    API Gateway HTTP API, per million requests (first 300 M)
 * @param sqsPerMillion        SQS standard queue, per million requests (a batch is one request)
 * @param s3GbMonth            S3 Standard storage, per GB-month (first 50 TB)
 * @param s3PutPer1000         S3 PUT, COPY, POST, LIST requests, per 1,000
 * @param s3GetPer1000         S3 GET, HEAD and other requests, per 1,000 (DELETE is free)
 * @param dynamoWruPerMillion  DynamoDB on-demand, per million write request units
 * @param dynamoRruPerMillion  DynamoDB on-demand, per million read request units
 * @param dynamoGbMonth        DynamoDB Standard table storage, per GB-month
 * @param logsIngestGb         CloudWatch Logs ingestion (standard), per GB
 * @param logsStoreGbMonth     CloudWatch Logs storage, per GB-month (logs kept 30 days: about one month stored)
 * @param alarmMonth           CloudWatch standard-resolution alarm, per alarm-month
 * @param secretMonth          Secrets Manager, per secret-month
 */
public record Prices(double fargateArmVcpuHour, double fargateArmGbHour, double publicIpv4Hour,
                     double lambdaGbSecond, double lambdaPerMillion, double httpApiPerMillion, double sqsPerMillion,
                     double s3GbMonth, double s3PutPer1000, double s3GetPer1000, double dynamoWruPerMillion,
                     double dynamoRruPerMillion, double dynamoGbMonth, double logsIngestGb, double logsStoreGbMonth,
                     double alarmMonth, double secretMonth) {

    /** The us-east-1 list prices (2026). */
    public static Prices usEast1() {
        return new Prices(0.03238, 0.00356, 0.005, 0.0000166667, 0.20, 1.00, 0.40, 0.023, 0.005, 0.0004,
                0.625, 0.125, 0.25, 0.50, 0.03, 0.10, 0.40);
    }

    /**
     * One row of the assumptions table.
     *
     * @param item   what is priced
     * @param price  the price as text
     * @param source where it is published
     */
    public record Row(String item, String price, String source) {
    }

    /** The prices as table rows, with their sources. */
    public List<Row> rows() {
        String fargate = "aws.amazon.com/fargate/pricing (Linux/ARM, us-east-1, 2026)";
        String s3 = "aws.amazon.com/s3/pricing (S3 Standard, us-east-1, 2026)";
        String ddb = "aws.amazon.com/dynamodb/pricing/on-demand (us-east-1, 2026)";
        String cw = "aws.amazon.com/cloudwatch/pricing (us-east-1, 2026)";
        String lambda = "aws.amazon.com/lambda/pricing (x86, us-east-1, 2026)";
        return List.of(
                new Row("Fargate ARM64 vCPU", usd(fargateArmVcpuHour) + " per vCPU-hour", fargate),
                new Row("Fargate ARM64 memory", usd(fargateArmGbHour) + " per GB-hour", fargate),
                new Row("Public IPv4 address", usd(publicIpv4Hour) + " per hour", "aws.amazon.com/vpc/pricing (2026)"),
                new Row("Lambda compute", usd(lambdaGbSecond) + " per GB-s", lambda),
                new Row("Lambda requests", usd(lambdaPerMillion) + " per million", lambda),
                new Row("API Gateway HTTP API", usd(httpApiPerMillion) + " per million requests",
                        "aws.amazon.com/api-gateway/pricing (us-east-1, 2026)"),
                new Row("SQS standard", usd(sqsPerMillion) + " per million requests",
                        "aws.amazon.com/sqs/pricing (us-east-1, 2026)"),
                new Row("S3 storage", usd(s3GbMonth) + " per GB-month", s3),
                new Row("S3 PUT/COPY/POST/LIST", usd(s3PutPer1000) + " per 1,000", s3),
                new Row("S3 GET/HEAD/other", usd(s3GetPer1000) + " per 1,000", s3),
                new Row("DynamoDB writes", usd(dynamoWruPerMillion) + " per million WRU", ddb),
                new Row("DynamoDB reads", usd(dynamoRruPerMillion) + " per million RRU", ddb),
                new Row("DynamoDB storage", usd(dynamoGbMonth) + " per GB-month", ddb),
                new Row("CloudWatch Logs ingestion", usd(logsIngestGb) + " per GB", cw),
                new Row("CloudWatch Logs storage", usd(logsStoreGbMonth) + " per GB-month", cw),
                new Row("CloudWatch alarm", usd(alarmMonth) + " per alarm-month", cw),
                new Row("Secrets Manager secret", usd(secretMonth) + " per secret-month",
                        "aws.amazon.com/secrets-manager/pricing (us-east-1, 2026)"),
                new Row("EventBridge scheduled rules", "no charge", "aws.amazon.com/eventbridge/pricing (2026)"));
    }

    private static String usd(double v) {
        String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return "US$" + s;
    }
}
