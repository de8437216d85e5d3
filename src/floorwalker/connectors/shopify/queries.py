"""The Admin GraphQL documents the connector sends (one per resource, named operations).

Page sizes keep each query's requested cost under Shopify's single-query limit (1,000
points): cost grows with `first` times the nested connections' `first`.
"""

from __future__ import annotations

SHOP = """
query Shop {
  shop { name currencyCode myshopifyDomain }
}
"""

PRODUCTS = """
query Products($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id handle title description productType vendor status tags updatedAt
      category { fullName }
      options { name position }
      media(first: 10) { nodes { ... on MediaImage { image { url altText } } } }
      variants(first: 60) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id sku barcode title price compareAtPrice position updatedAt
          selectedOptions { name value }
          inventoryItem { id measurement { weight { unit value } } }
          image { url }
        }
      }
    }
  }
}
"""

PRODUCT_VARIANTS = """
query ProductVariants($id: ID!, $after: String) {
  product(id: $id) {
    variants(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id sku barcode title price compareAtPrice position updatedAt
        selectedOptions { name value }
        inventoryItem { id measurement { weight { unit value } } }
        image { url }
      }
    }
  }
}
"""

LOCATIONS = """
query Locations($first: Int!, $after: String) {
  locations(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id name isActive }
  }
}
"""

INVENTORY = """
query Inventory($first: Int!, $after: String, $query: String) {
  inventoryItems(first: $first, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id updatedAt
      variant { id }
      inventoryLevels(first: 10) {
        nodes { updatedAt location { id } quantities(names: ["available"]) { name quantity } }
      }
    }
  }
}
"""

CUSTOMERS = """
query Customers($first: Int!, $after: String, $query: String) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id firstName lastName email phone tags updatedAt locale
      emailMarketingConsent { marketingState }
      defaultAddress { id }
      addresses { id name address1 address2 city province zip countryCodeV2 phone }
    }
  }
}
"""

ORDERS = """
query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email note createdAt updatedAt cancelledAt cancelReason currencyCode
      displayFinancialStatus displayFulfillmentStatus returnStatus
      customer { id }
      totalPriceSet { shopMoney { amount } }
      totalShippingPriceSet { shopMoney { amount } }
      totalTaxSet { shopMoney { amount } }
      totalDiscountsSet { shopMoney { amount } }
      shippingAddress { name address1 address2 city province zip countryCodeV2 phone }
      lineItems(first: 30) {
        nodes {
          id sku title variantTitle quantity
          variant { id }
          originalUnitPriceSet { shopMoney { amount } }
        }
      }
      fulfillments(first: 5) {
        id status displayStatus createdAt deliveredAt
        trackingInfo { company number url }
        fulfillmentLineItems(first: 30) { nodes { lineItem { id } quantity } }
      }
      transactions(first: 10) {
        id kind status gateway createdAt
        amountSet { shopMoney { amount } }
      }
    }
  }
}
"""

ORDER_FULFILLMENT_LINES = """
query OrderFulfillmentLines($id: ID!) {
  order(id: $id) {
    fulfillments(first: 20) {
      fulfillmentLineItems(first: 100) { nodes { id quantity lineItem { id } } }
    }
    transactions(first: 20) { id kind status gateway amountSet { shopMoney { amount } } }
  }
}
"""

ORDER_CANCEL = """
mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!,
                     $refundMethod: OrderCancelRefundMethodInput!, $staffNote: String,
                     $notifyCustomer: Boolean) {
  orderCancel(orderId: $orderId, reason: $reason, restock: $restock,
              refundMethod: $refundMethod, staffNote: $staffNote,
              notifyCustomer: $notifyCustomer) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""

ORDER_UPDATE = """
mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id updatedAt }
    userErrors { field message }
  }
}
"""

ORDER_EDIT_BEGIN = """
mutation OrderEditBegin($id: ID!) {
  orderEditBegin(id: $id) {
    calculatedOrder { id lineItems(first: 100) { nodes { id quantity variant { id } } } }
    userErrors { field message }
  }
}
"""

ORDER_EDIT_SET_QUANTITY = """
mutation OrderEditSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!) {
  orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: true) {
    calculatedOrder { id }
    userErrors { field message }
  }
}
"""

ORDER_EDIT_ADD_VARIANT = """
mutation OrderEditAddVariant($id: ID!, $variantId: ID!, $quantity: Int!) {
  orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity,
                      allowDuplicates: true) {
    calculatedOrder { id }
    userErrors { field message }
  }
}
"""

ORDER_EDIT_COMMIT = """
mutation OrderEditCommit($id: ID!, $staffNote: String) {
  orderEditCommit(id: $id, notifyCustomer: false, staffNote: $staffNote) {
    order { id updatedAt }
    userErrors { field message }
  }
}
"""

RETURN_CREATE = """
mutation ReturnCreate($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) {
    return { id status }
    userErrors { field message }
  }
}
"""

REFUND_CREATE = """
mutation RefundCreate($input: RefundInput!) {
  refundCreate(input: $input) {
    refund { id totalRefundedSet { shopMoney { amount } } }
    userErrors { field message }
  }
}
"""
