# On-demand tables with string pk/sk, encrypted; TTL on expiresAt where used; point-in-time recovery on the ledger.
resource "aws_dynamodb_table" "table" {
  for_each                    = local.tables
  name                        = each.key
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = each.value.point_in_time_recovery

  attribute {
    name = "pk"
    type = "S"
  }
  attribute {
    name = "sk"
    type = "S"
  }

  dynamic "ttl" {
    for_each = each.value.ttl ? ["expiresAt"] : []
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  point_in_time_recovery {
    enabled = each.value.point_in_time_recovery
  }

  server_side_encryption {
    enabled = true
  }
}
