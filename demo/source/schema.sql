-- =============================================================================
-- Demo ERP source database (MariaDB 10.11)
--
-- The operational database the governed lake replicates. tables.yaml at the repo
-- root declares every table below; the two files must stay in step.
--
-- Built to exercise the lake's hard cases on purpose:
--   * name-prefix pairs that break wildcard include paths:
--       customer / customer_address / customer_contact, sales_order / sales_order_line,
--       invoice / invoice_line, shipment / shipment_item, employee / employee_salary
--   * source names that are not lake-safe and are mapped with `source:` in tables.yaml:
--       `Order_Line_Notes` (mixed case, mixed-case columns) and `return` (reserved word)
--   * three load strategies:
--       incremental  TIMESTAMP ... ON UPDATE CURRENT_TIMESTAMP, or a DATETIME(3) the
--                    application sets (crm_opportunity.modified_at, gl_journal.updated_at,
--                    quality_inspection.updated_at, Order_Line_Notes.LastChangedAt)
--       append       insert-only logs keyed by BIGINT UNSIGNED AUTO_INCREMENT
--       snapshot     no cursor and no identity column (currency_rate, cost_center, tax_code,
--                    plant_calendar, carrier, unit_of_measure, shift_pattern_import;
--                    shift_pattern_import has no primary key at all)
--   * PII: names, e-mail, phone, date of birth, IBAN, national id, address lines, salary.
--
-- No foreign-key constraints on purpose: seeding and the demo's row and schema changes
-- stay order-independent. References are indexed plain columns, as in many ERPs.
--
-- Re-runnable: the erp database is dropped and created again on every load.
-- Load with:  mariadb < demo/source/schema.sql
-- =============================================================================

DROP DATABASE IF EXISTS erp;
CREATE DATABASE IF NOT EXISTS erp
  CHARACTER SET utf8mb4
  COLLATE utf8mb4_unicode_ci;
USE erp;

SET NAMES utf8mb4;

-- =============================================================================
-- SALES (CRM, customers, orders)
-- =============================================================================

CREATE TABLE customer (
  customer_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_number    VARCHAR(20)     NOT NULL,
  customer_type      ENUM('B2B','B2C') NOT NULL DEFAULT 'B2B',
  company_name       VARCHAR(200)    NULL,
  first_name         VARCHAR(100)    NULL,
  last_name          VARCHAR(100)    NULL,
  email              VARCHAR(254)    NULL,
  phone              VARCHAR(40)     NULL,
  date_of_birth      DATE            NULL,
  vat_id             VARCHAR(20)     NULL,
  country_code       CHAR(2)         NOT NULL,
  preferred_language CHAR(2)         NOT NULL DEFAULT 'de',
  credit_limit       DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  segment            ENUM('key_account','mid_market','small_business','consumer') NOT NULL DEFAULT 'mid_market',
  is_blocked         TINYINT(1)      NOT NULL DEFAULT 0,
  marketing_opt_in   TINYINT(1)      NOT NULL DEFAULT 0,
  attributes         JSON            NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (customer_id),
  UNIQUE KEY uq_customer_number (customer_number),
  KEY ix_customer_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Customer master (B2B accounts and B2C consumers)';

CREATE TABLE customer_address (
  address_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id        BIGINT UNSIGNED NOT NULL,
  address_type       ENUM('billing','shipping','both') NOT NULL DEFAULT 'both',
  recipient_name     VARCHAR(200)    NULL,
  address_line1      VARCHAR(200)    NOT NULL,
  address_line2      VARCHAR(200)    NULL,
  postal_code        VARCHAR(20)     NOT NULL,
  city               VARCHAR(100)    NOT NULL,
  region             VARCHAR(100)    NULL,
  country_code       CHAR(2)         NOT NULL,
  is_default         TINYINT(1)      NOT NULL DEFAULT 0,
  valid_from         DATE            NULL,
  valid_to           DATE            NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (address_id),
  KEY ix_customer_address_customer (customer_id),
  KEY ix_customer_address_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Billing and shipping addresses of customers (name-prefix twin of customer)';

CREATE TABLE customer_contact (
  contact_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id        BIGINT UNSIGNED NOT NULL,
  salutation         ENUM('mr','ms','mx','dr') NULL,
  full_name          VARCHAR(200)    NOT NULL,
  job_title          VARCHAR(100)    NULL,
  email              VARCHAR(254)    NULL,
  phone              VARCHAR(40)     NULL,
  mobile_phone       VARCHAR(40)     NULL,
  is_primary         TINYINT(1)      NOT NULL DEFAULT 0,
  notes              TEXT            NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (contact_id),
  KEY ix_customer_contact_customer (customer_id),
  KEY ix_customer_contact_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Contact persons at B2B customers';

CREATE TABLE sales_order (
  sales_order_id     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_number       VARCHAR(20)     NOT NULL,
  customer_id        BIGINT UNSIGNED NOT NULL,
  billing_address_id BIGINT UNSIGNED NULL,
  shipping_address_id BIGINT UNSIGNED NULL,
  sales_rep_employee_id BIGINT UNSIGNED NULL,
  order_date         DATE            NOT NULL,
  requested_delivery_date DATE       NULL,
  status             ENUM('draft','confirmed','in_production','shipped','invoiced','closed','cancelled') NOT NULL DEFAULT 'draft',
  channel            ENUM('field_sales','web_shop','edi','phone') NOT NULL DEFAULT 'field_sales',
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  net_amount         DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  tax_amount         DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  gross_amount       DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  customer_reference VARCHAR(60)     NULL,
  is_rush            TINYINT(1)      NOT NULL DEFAULT 0,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (sales_order_id),
  UNIQUE KEY uq_sales_order_number (order_number),
  KEY ix_sales_order_customer (customer_id),
  KEY ix_sales_order_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sales order headers';

CREATE TABLE sales_order_line (
  sales_order_id     BIGINT UNSIGNED NOT NULL,
  line_number        SMALLINT UNSIGNED NOT NULL,
  product_id         BIGINT UNSIGNED NOT NULL,
  quantity           DECIMAL(18,4)   NOT NULL,
  uom_code           VARCHAR(10)     NOT NULL DEFAULT 'PCE',
  unit_price         DECIMAL(18,4)   NOT NULL,
  discount_percent   DECIMAL(5,2)    NOT NULL DEFAULT 0.00,
  line_amount        DECIMAL(18,4)   NOT NULL,
  tax_code           VARCHAR(10)     NOT NULL,
  confirmed_delivery_date DATE       NULL,
  status             ENUM('open','allocated','shipped','cancelled') NOT NULL DEFAULT 'open',
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (sales_order_id, line_number),
  KEY ix_sales_order_line_product (product_id),
  KEY ix_sales_order_line_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sales order lines (composite key: order and line number)';

-- Mixed-case table and column names, kept from a legacy order-notes module.
-- The lake name is order_line_notes (tables.yaml: source: Order_Line_Notes).
-- LastChangedAt is set by the application, not by the database.
CREATE TABLE `Order_Line_Notes` (
  `NoteId`           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `SalesOrderId`     BIGINT UNSIGNED NOT NULL,
  `LineNumber`       SMALLINT UNSIGNED NOT NULL,
  `NoteType`         ENUM('internal','customer','production','shipping') NOT NULL DEFAULT 'internal',
  `NoteText`         TEXT            NOT NULL,
  `AuthorName`       VARCHAR(200)    NULL,
  `AuthorEmail`      VARCHAR(254)    NULL,
  `IsVisibleOnInvoice` TINYINT(1)    NOT NULL DEFAULT 0,
  `CreatedAt`        DATETIME(3)     NOT NULL,
  `LastChangedAt`    DATETIME(3)     NOT NULL,
  PRIMARY KEY (`NoteId`),
  KEY `IX_OrderLineNotes_Line` (`SalesOrderId`, `LineNumber`),
  KEY `IX_OrderLineNotes_LastChangedAt` (`LastChangedAt`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Free-text notes on sales order lines (legacy mixed-case names)';

-- `return` is a reserved word; the lake name is sales_return (tables.yaml: source: return).
CREATE TABLE `return` (
  return_id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  rma_number         VARCHAR(20)     NOT NULL,
  sales_order_id     BIGINT UNSIGNED NOT NULL,
  customer_id        BIGINT UNSIGNED NOT NULL,
  reason             ENUM('damaged','wrong_item','not_needed','quality','other') NOT NULL,
  reason_text        TEXT            NULL,
  status             ENUM('requested','approved','received','refunded','rejected') NOT NULL DEFAULT 'requested',
  refund_amount      DECIMAL(18,4)   NULL,
  received_date      DATE            NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (return_id),
  UNIQUE KEY uq_return_rma (rma_number),
  KEY ix_return_order (sales_order_id),
  KEY ix_return_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Customer returns (RMA); table name is a reserved word';

CREATE TABLE price_list (
  price_list_id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  price_list_code    VARCHAR(20)     NOT NULL,
  product_id         BIGINT UNSIGNED NOT NULL,
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  min_quantity       DECIMAL(18,4)   NOT NULL DEFAULT 1.0000,
  unit_price         DECIMAL(18,4)   NOT NULL,
  valid_from         DATE            NOT NULL,
  valid_to           DATE            NULL,
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (price_list_id),
  UNIQUE KEY uq_price_list_entry (price_list_code, product_id, currency_code, min_quantity, valid_from),
  KEY ix_price_list_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Sales prices per price list, product, currency and quantity break';

CREATE TABLE sales_quote (
  quote_id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  quote_number       VARCHAR(20)     NOT NULL,
  customer_id        BIGINT UNSIGNED NOT NULL,
  opportunity_id     BIGINT UNSIGNED NULL,
  quote_date         DATE            NOT NULL,
  valid_until        DATE            NULL,
  status             ENUM('draft','sent','accepted','rejected','expired') NOT NULL DEFAULT 'draft',
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  net_amount         DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  terms_text         TEXT            NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (quote_id),
  UNIQUE KEY uq_sales_quote_number (quote_number),
  KEY ix_sales_quote_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Quotes sent to customers';

-- modified_at is maintained by the CRM application (millisecond precision).
CREATE TABLE crm_opportunity (
  opportunity_id     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id        BIGINT UNSIGNED NULL,
  title              VARCHAR(200)    NOT NULL,
  stage              ENUM('lead','qualified','proposal','negotiation','won','lost') NOT NULL DEFAULT 'lead',
  probability_percent TINYINT UNSIGNED NOT NULL DEFAULT 10,
  expected_amount    DECIMAL(18,4)   NULL,
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  expected_close_date DATE           NULL,
  owner_employee_id  BIGINT UNSIGNED NULL,
  lead_source        VARCHAR(50)     NULL,
  custom_fields      JSON            NULL,
  created_at         DATETIME(3)     NOT NULL,
  modified_at        DATETIME(3)     NOT NULL,
  PRIMARY KEY (opportunity_id),
  KEY ix_crm_opportunity_modified_at (modified_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='CRM sales opportunities (cursor set by the application)';

CREATE TABLE crm_activity_event (
  event_id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  occurred_at        DATETIME(3)     NOT NULL,
  customer_id        BIGINT UNSIGNED NULL,
  opportunity_id     BIGINT UNSIGNED NULL,
  employee_id        BIGINT UNSIGNED NULL,
  activity_type      ENUM('call','email','meeting','visit','note') NOT NULL,
  subject            VARCHAR(200)    NULL,
  payload            JSON            NULL,
  PRIMARY KEY (event_id),
  KEY ix_crm_activity_event_customer (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Insert-only log of CRM activities (calls, mails, visits)';

-- =============================================================================
-- FINANCE
-- =============================================================================

CREATE TABLE gl_account (
  gl_account_id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  account_number     VARCHAR(10)     NOT NULL,
  account_name       VARCHAR(200)    NOT NULL,
  account_type       ENUM('asset','liability','equity','revenue','expense') NOT NULL,
  parent_account_number VARCHAR(10)  NULL,
  is_posting_allowed TINYINT(1)      NOT NULL DEFAULT 1,
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (gl_account_id),
  UNIQUE KEY uq_gl_account_number (account_number),
  KEY ix_gl_account_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='General ledger chart of accounts';

-- updated_at is maintained by the posting engine (millisecond precision).
CREATE TABLE gl_journal (
  journal_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  journal_number     VARCHAR(20)     NOT NULL,
  posting_date       DATE            NOT NULL,
  document_date      DATE            NOT NULL,
  fiscal_year        SMALLINT UNSIGNED NOT NULL,
  fiscal_period      TINYINT UNSIGNED NOT NULL,
  journal_type       ENUM('manual','invoice','payment','accrual','closing') NOT NULL,
  status             ENUM('draft','posted','reversed') NOT NULL DEFAULT 'draft',
  description        VARCHAR(500)    NULL,
  total_debit        DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  total_credit       DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  created_by         VARCHAR(50)     NOT NULL,
  created_at         DATETIME(3)     NOT NULL,
  updated_at         DATETIME(3)     NOT NULL,
  PRIMARY KEY (journal_id),
  UNIQUE KEY uq_gl_journal_number (journal_number),
  KEY ix_gl_journal_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='General ledger journal headers (cursor set by the posting engine)';

CREATE TABLE gl_journal_line_event (
  event_id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  journal_id         BIGINT UNSIGNED NOT NULL,
  line_number        SMALLINT UNSIGNED NOT NULL,
  gl_account_number  VARCHAR(10)     NOT NULL,
  cost_center_code   VARCHAR(10)     NULL,
  debit_amount       DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  credit_amount      DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  amount_local       DECIMAL(18,4)   NOT NULL,
  tax_code           VARCHAR(10)     NULL,
  posting_text       VARCHAR(200)    NULL,
  posted_at          DATETIME(3)     NOT NULL,
  PRIMARY KEY (event_id),
  KEY ix_gl_journal_line_event_journal (journal_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Insert-only journal line postings (corrections are new reversing lines)';

CREATE TABLE invoice (
  invoice_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  invoice_number     VARCHAR(20)     NOT NULL,
  invoice_type       ENUM('invoice','credit_note') NOT NULL DEFAULT 'invoice',
  customer_id        BIGINT UNSIGNED NOT NULL,
  sales_order_id     BIGINT UNSIGNED NULL,
  invoice_date       DATE            NOT NULL,
  due_date           DATE            NOT NULL,
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  net_amount         DECIMAL(18,4)   NOT NULL,
  tax_amount         DECIMAL(18,4)   NOT NULL,
  gross_amount       DECIMAL(18,4)   NOT NULL,
  open_amount        DECIMAL(18,4)   NOT NULL,
  status             ENUM('open','partially_paid','paid','overdue','cancelled') NOT NULL DEFAULT 'open',
  billing_name       VARCHAR(200)    NOT NULL,
  billing_address_line1 VARCHAR(200) NOT NULL,
  billing_address_line2 VARCHAR(200) NULL,
  billing_postal_code VARCHAR(20)    NOT NULL,
  billing_city       VARCHAR(100)    NOT NULL,
  billing_country_code CHAR(2)       NOT NULL,
  dunning_level      TINYINT UNSIGNED NOT NULL DEFAULT 0,
  is_exported_to_datev TINYINT(1)    NOT NULL DEFAULT 0,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (invoice_id),
  UNIQUE KEY uq_invoice_number (invoice_number),
  KEY ix_invoice_customer (customer_id),
  KEY ix_invoice_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Customer invoices and credit notes (accounts receivable)';

CREATE TABLE invoice_line (
  invoice_line_id    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  invoice_id         BIGINT UNSIGNED NOT NULL,
  line_number        SMALLINT UNSIGNED NOT NULL,
  product_id         BIGINT UNSIGNED NULL,
  description        VARCHAR(500)    NOT NULL,
  quantity           DECIMAL(18,4)   NOT NULL,
  unit_price         DECIMAL(18,4)   NOT NULL,
  line_amount        DECIMAL(18,4)   NOT NULL,
  tax_code           VARCHAR(10)     NOT NULL,
  tax_amount         DECIMAL(18,4)   NOT NULL,
  gl_account_number  VARCHAR(10)     NOT NULL,
  cost_center_code   VARCHAR(10)     NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (invoice_line_id),
  UNIQUE KEY uq_invoice_line (invoice_id, line_number),
  KEY ix_invoice_line_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Invoice lines (name-prefix twin of invoice)';

CREATE TABLE payment (
  payment_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  direction          ENUM('incoming','outgoing') NOT NULL,
  invoice_id         BIGINT UNSIGNED NULL,
  vendor_id          BIGINT UNSIGNED NULL,
  payment_date       DATE            NOT NULL,
  value_date         DATE            NULL,
  amount             DECIMAL(18,4)   NOT NULL,
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  payment_method     ENUM('sepa_transfer','sepa_direct_debit','card','cash','other') NOT NULL,
  payer_name         VARCHAR(200)    NULL,
  payer_iban         VARCHAR(34)     NULL,
  bank_reference     VARCHAR(140)    NULL,
  is_reconciled      TINYINT(1)      NOT NULL DEFAULT 0,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (payment_id),
  KEY ix_payment_invoice (invoice_id),
  KEY ix_payment_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Incoming and outgoing payments (bank statement matched)';

CREATE TABLE vendor (
  vendor_id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  vendor_number      VARCHAR(20)     NOT NULL,
  company_name       VARCHAR(200)    NOT NULL,
  contact_name       VARCHAR(200)    NULL,
  contact_email      VARCHAR(254)    NULL,
  contact_phone      VARCHAR(40)     NULL,
  address_line1      VARCHAR(200)    NULL,
  postal_code        VARCHAR(20)     NULL,
  city               VARCHAR(100)    NULL,
  country_code       CHAR(2)         NOT NULL,
  vat_id             VARCHAR(20)     NULL,
  iban               VARCHAR(34)     NULL,
  bic                VARCHAR(11)     NULL,
  payment_terms_days SMALLINT UNSIGNED NOT NULL DEFAULT 30,
  is_blocked         TINYINT(1)      NOT NULL DEFAULT 0,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (vendor_id),
  UNIQUE KEY uq_vendor_number (vendor_number),
  KEY ix_vendor_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Supplier master with bank details (accounts payable)';

-- Snapshot: composite natural key, no cursor, no identity. Rates are replaced daily by a feed.
CREATE TABLE currency_rate (
  from_currency      CHAR(3)         NOT NULL,
  to_currency        CHAR(3)         NOT NULL,
  rate_date          DATE            NOT NULL,
  rate_type          ENUM('ecb_reference','month_end','budget') NOT NULL DEFAULT 'ecb_reference',
  exchange_rate      DECIMAL(18,8)   NOT NULL,
  source_system      VARCHAR(20)     NOT NULL DEFAULT 'ECB',
  PRIMARY KEY (from_currency, to_currency, rate_date, rate_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Exchange rates by currency pair, date and rate type (no change tracking)';

-- Snapshot: small reference table edited by controlling, no change tracking.
CREATE TABLE cost_center (
  cost_center_code   VARCHAR(10)     NOT NULL,
  name               VARCHAR(100)    NOT NULL,
  parent_code        VARCHAR(10)     NULL,
  company_code       CHAR(4)         NOT NULL DEFAULT '1000',
  responsible_person VARCHAR(100)    NULL,
  plant_code         VARCHAR(10)     NULL,
  valid_from         DATE            NOT NULL,
  valid_to           DATE            NULL,
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  PRIMARY KEY (cost_center_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Controlling cost centers (no change tracking)';

-- Snapshot: reference table, no change tracking.
CREATE TABLE tax_code (
  tax_code           VARCHAR(10)     NOT NULL,
  country_code       CHAR(2)         NOT NULL,
  description        VARCHAR(200)    NOT NULL,
  rate_percent       DECIMAL(5,2)    NOT NULL,
  tax_type           ENUM('output','input','reverse_charge','exempt') NOT NULL,
  gl_account_number  VARCHAR(10)     NULL,
  valid_from         DATE            NOT NULL,
  valid_to           DATE            NULL,
  PRIMARY KEY (tax_code, country_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='VAT and sales tax codes per country (no change tracking)';

CREATE TABLE audit_log (
  audit_id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  logged_at          TIMESTAMP(3)    NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  user_login         VARCHAR(50)     NOT NULL,
  user_email         VARCHAR(254)    NULL,
  client_ip          VARCHAR(45)     NULL,
  action             ENUM('insert','update','delete','login','logout','export') NOT NULL,
  object_table       VARCHAR(64)     NULL,
  object_id          VARCHAR(64)     NULL,
  old_values         JSON            NULL,
  new_values         JSON            NULL,
  PRIMARY KEY (audit_id),
  KEY ix_audit_log_object (object_table, object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Insert-only ERP audit trail (who changed what, when)';

-- =============================================================================
-- MANUFACTURING
-- =============================================================================

CREATE TABLE plant (
  plant_id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  plant_code         VARCHAR(10)     NOT NULL,
  name               VARCHAR(100)    NOT NULL,
  country_code       CHAR(2)         NOT NULL,
  city               VARCHAR(100)    NOT NULL,
  timezone           VARCHAR(40)     NOT NULL DEFAULT 'Europe/Berlin',
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (plant_id),
  UNIQUE KEY uq_plant_code (plant_code),
  KEY ix_plant_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Production plants';

CREATE TABLE work_center (
  work_center_id     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  plant_id           BIGINT UNSIGNED NOT NULL,
  work_center_code   VARCHAR(20)     NOT NULL,
  name               VARCHAR(100)    NOT NULL,
  work_center_type   ENUM('machine','assembly','manual','quality') NOT NULL,
  capacity_hours_per_day DECIMAL(6,2) NOT NULL DEFAULT 16.00,
  hourly_rate        DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  cost_center_code   VARCHAR(10)     NULL,
  is_bottleneck      TINYINT(1)      NOT NULL DEFAULT 0,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (work_center_id),
  UNIQUE KEY uq_work_center (plant_id, work_center_code),
  KEY ix_work_center_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Machines and work stations per plant';

CREATE TABLE bill_of_material (
  bom_id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  parent_product_id  BIGINT UNSIGNED NOT NULL,
  component_product_id BIGINT UNSIGNED NOT NULL,
  position_number    SMALLINT UNSIGNED NOT NULL,
  quantity_per       DECIMAL(18,4)   NOT NULL,
  uom_code           VARCHAR(10)     NOT NULL DEFAULT 'PCE',
  scrap_percent      DECIMAL(5,2)    NOT NULL DEFAULT 0.00,
  valid_from         DATE            NOT NULL,
  valid_to           DATE            NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (bom_id),
  UNIQUE KEY uq_bill_of_material (parent_product_id, position_number, valid_from),
  KEY ix_bill_of_material_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Bill of materials: components per finished or semi-finished product';

CREATE TABLE production_order (
  production_order_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  order_number       VARCHAR(20)     NOT NULL,
  plant_id           BIGINT UNSIGNED NOT NULL,
  product_id         BIGINT UNSIGNED NOT NULL,
  sales_order_id     BIGINT UNSIGNED NULL,
  work_center_id     BIGINT UNSIGNED NULL,
  planned_quantity   DECIMAL(18,4)   NOT NULL,
  confirmed_quantity DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  scrap_quantity     DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  status             ENUM('planned','released','in_progress','completed','closed','cancelled') NOT NULL DEFAULT 'planned',
  planned_start      DATETIME        NULL,
  planned_end        DATETIME        NULL,
  actual_start       DATETIME        NULL,
  actual_end         DATETIME        NULL,
  priority           TINYINT UNSIGNED NOT NULL DEFAULT 5,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (production_order_id),
  UNIQUE KEY uq_production_order_number (order_number),
  KEY ix_production_order_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Production orders on the shop floor';

CREATE TABLE machine_telemetry (
  telemetry_id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  work_center_id     BIGINT UNSIGNED NOT NULL,
  measured_at        DATETIME(3)     NOT NULL,
  metric             ENUM('spindle_rpm','temperature_c','vibration_mm_s','power_kw','cycle_time_s') NOT NULL,
  value              DECIMAL(18,4)   NOT NULL,
  is_alarm           TINYINT(1)      NOT NULL DEFAULT 0,
  raw_payload        JSON            NULL,
  PRIMARY KEY (telemetry_id),
  KEY ix_machine_telemetry_wc_time (work_center_id, measured_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Insert-only machine sensor readings (high volume)';

-- Snapshot: composite natural key, no cursor, no identity. Maintained once a year per plant.
CREATE TABLE plant_calendar (
  plant_code         VARCHAR(10)     NOT NULL,
  calendar_date      DATE            NOT NULL,
  is_working_day     TINYINT(1)      NOT NULL DEFAULT 1,
  shift_count        TINYINT UNSIGNED NOT NULL DEFAULT 2,
  holiday_name       VARCHAR(100)    NULL,
  PRIMARY KEY (plant_code, calendar_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Working days, shifts and holidays per plant (no change tracking)';

-- updated_at is set by the quality app (millisecond precision).
CREATE TABLE quality_inspection (
  inspection_id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  production_order_id BIGINT UNSIGNED NOT NULL,
  inspector_employee_id BIGINT UNSIGNED NULL,
  inspected_at       DATETIME        NOT NULL,
  sample_size        INT UNSIGNED    NOT NULL,
  defects_found      INT UNSIGNED    NOT NULL DEFAULT 0,
  result             ENUM('pass','conditional','fail') NOT NULL,
  measurements       JSON            NULL,
  remarks            TEXT            NULL,
  updated_at         DATETIME(3)     NOT NULL,
  PRIMARY KEY (inspection_id),
  KEY ix_quality_inspection_order (production_order_id),
  KEY ix_quality_inspection_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Quality inspections of production orders (cursor set by the application)';

-- The one table WITHOUT a primary key: a nightly flat-file import from the old MES,
-- truncated and reloaded, rows may repeat. Snapshot strategy, compared as a whole.
CREATE TABLE shift_pattern_import (
  plant_code         VARCHAR(10)     NOT NULL,
  work_center_code   VARCHAR(20)     NOT NULL,
  weekday            TINYINT UNSIGNED NOT NULL COMMENT '1 = Monday ... 7 = Sunday',
  shift_name         VARCHAR(20)     NOT NULL,
  start_time         TIME            NOT NULL,
  end_time           TIME            NOT NULL,
  headcount          SMALLINT UNSIGNED NULL,
  import_file        VARCHAR(200)    NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Legacy MES shift patterns, reloaded nightly from a flat file; no primary key';

-- =============================================================================
-- LOGISTICS / INVENTORY
-- =============================================================================

CREATE TABLE product (
  product_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  sku                VARCHAR(40)     NOT NULL,
  name               VARCHAR(200)    NOT NULL,
  description        TEXT            NULL,
  product_type       ENUM('finished','semi_finished','raw_material','service','spare_part') NOT NULL,
  base_uom_code      VARCHAR(10)     NOT NULL DEFAULT 'PCE',
  net_weight_kg      DECIMAL(18,4)   NULL,
  standard_cost      DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  list_price         DECIMAL(18,4)   NULL,
  hs_code            VARCHAR(12)     NULL,
  is_batch_managed   TINYINT(1)      NOT NULL DEFAULT 0,
  is_discontinued    TINYINT(1)      NOT NULL DEFAULT 0,
  attributes         JSON            NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (product_id),
  UNIQUE KEY uq_product_sku (sku),
  KEY ix_product_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Material and product master';

CREATE TABLE warehouse (
  warehouse_id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  warehouse_code     VARCHAR(10)     NOT NULL,
  name               VARCHAR(100)    NOT NULL,
  plant_code         VARCHAR(10)     NULL,
  address_line1      VARCHAR(200)    NOT NULL,
  postal_code        VARCHAR(20)     NOT NULL,
  city               VARCHAR(100)    NOT NULL,
  country_code       CHAR(2)         NOT NULL,
  is_bonded          TINYINT(1)      NOT NULL DEFAULT 0,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (warehouse_id),
  UNIQUE KEY uq_warehouse_code (warehouse_code),
  KEY ix_warehouse_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Warehouses and storage sites';

CREATE TABLE stock_level (
  warehouse_id       BIGINT UNSIGNED NOT NULL,
  product_id         BIGINT UNSIGNED NOT NULL,
  on_hand_quantity   DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  reserved_quantity  DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  on_order_quantity  DECIMAL(18,4)   NOT NULL DEFAULT 0.0000,
  reorder_point      DECIMAL(18,4)   NULL,
  bin_location       VARCHAR(20)     NULL,
  last_counted_date  DATE            NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (warehouse_id, product_id),
  KEY ix_stock_level_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Current stock per warehouse and product (composite key)';

CREATE TABLE stock_movement (
  movement_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  moved_at           DATETIME(3)     NOT NULL,
  warehouse_id       BIGINT UNSIGNED NOT NULL,
  product_id         BIGINT UNSIGNED NOT NULL,
  movement_type      ENUM('goods_receipt','goods_issue','transfer_in','transfer_out','adjustment','production_receipt','production_issue') NOT NULL,
  quantity           DECIMAL(18,4)   NOT NULL,
  uom_code           VARCHAR(10)     NOT NULL DEFAULT 'PCE',
  reference_type     VARCHAR(30)     NULL,
  reference_id       BIGINT UNSIGNED NULL,
  batch_number       VARCHAR(30)     NULL,
  unit_cost          DECIMAL(18,4)   NULL,
  posted_by          VARCHAR(50)     NOT NULL,
  PRIMARY KEY (movement_id),
  KEY ix_stock_movement_wh_product (warehouse_id, product_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Insert-only inventory movements (the stock ledger)';

CREATE TABLE shipment (
  shipment_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  shipment_number    VARCHAR(20)     NOT NULL,
  sales_order_id     BIGINT UNSIGNED NOT NULL,
  warehouse_id       BIGINT UNSIGNED NOT NULL,
  carrier_code       VARCHAR(10)     NULL,
  tracking_number    VARCHAR(50)     NULL,
  recipient_name     VARCHAR(200)    NOT NULL,
  recipient_phone    VARCHAR(40)     NULL,
  delivery_address_line1 VARCHAR(200) NOT NULL,
  delivery_address_line2 VARCHAR(200) NULL,
  delivery_postal_code VARCHAR(20)   NOT NULL,
  delivery_city      VARCHAR(100)    NOT NULL,
  delivery_country_code CHAR(2)      NOT NULL,
  status             ENUM('planned','picked','packed','shipped','delivered','returned') NOT NULL DEFAULT 'planned',
  gross_weight_kg    DECIMAL(18,4)   NULL,
  freight_cost       DECIMAL(18,4)   NULL,
  shipped_at         DATETIME        NULL,
  delivered_at       DATETIME        NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (shipment_id),
  UNIQUE KEY uq_shipment_number (shipment_number),
  KEY ix_shipment_order (sales_order_id),
  KEY ix_shipment_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Outbound shipments to customers';

CREATE TABLE shipment_item (
  shipment_id        BIGINT UNSIGNED NOT NULL,
  item_number        SMALLINT UNSIGNED NOT NULL,
  sales_order_id     BIGINT UNSIGNED NOT NULL,
  sales_order_line_number SMALLINT UNSIGNED NOT NULL,
  product_id         BIGINT UNSIGNED NOT NULL,
  quantity           DECIMAL(18,4)   NOT NULL,
  batch_number       VARCHAR(30)     NULL,
  package_number     VARCHAR(30)     NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (shipment_id, item_number),
  KEY ix_shipment_item_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Items packed into a shipment (name-prefix twin of shipment)';

-- Snapshot: reference table keyed by a code, no change tracking.
CREATE TABLE carrier (
  carrier_code       VARCHAR(10)     NOT NULL,
  name               VARCHAR(100)    NOT NULL,
  service_level      ENUM('standard','express','freight','pickup') NOT NULL DEFAULT 'standard',
  tracking_url_template VARCHAR(500) NULL,
  account_number     VARCHAR(30)     NULL,
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  PRIMARY KEY (carrier_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Parcel and freight carriers (no change tracking)';

-- Snapshot: reference table keyed by a code, no change tracking.
CREATE TABLE unit_of_measure (
  uom_code           VARCHAR(10)     NOT NULL,
  description        VARCHAR(100)    NOT NULL,
  dimension          ENUM('count','mass','length','volume','area','time') NOT NULL,
  base_uom_code      VARCHAR(10)     NULL,
  conversion_factor  DECIMAL(18,8)   NOT NULL DEFAULT 1.00000000,
  iso_code           VARCHAR(3)      NULL,
  PRIMARY KEY (uom_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Units of measure and conversion to the base unit (no change tracking)';

-- =============================================================================
-- HR
-- =============================================================================

CREATE TABLE department (
  department_id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  department_code    VARCHAR(10)     NOT NULL,
  name               VARCHAR(100)    NOT NULL,
  parent_department_id BIGINT UNSIGNED NULL,
  cost_center_code   VARCHAR(10)     NULL,
  head_employee_id   BIGINT UNSIGNED NULL,
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (department_id),
  UNIQUE KEY uq_department_code (department_code),
  KEY ix_department_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Organisational units';

CREATE TABLE job_position (
  position_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  position_code      VARCHAR(20)     NOT NULL,
  title              VARCHAR(100)    NOT NULL,
  department_id      BIGINT UNSIGNED NOT NULL,
  pay_grade          VARCHAR(10)     NULL,
  is_managerial      TINYINT(1)      NOT NULL DEFAULT 0,
  fte                DECIMAL(4,2)    NOT NULL DEFAULT 1.00,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (position_id),
  UNIQUE KEY uq_job_position_code (position_code),
  KEY ix_job_position_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Positions in the organisation chart';

CREATE TABLE employee (
  employee_id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  personnel_number   VARCHAR(10)     NOT NULL,
  first_name         VARCHAR(100)    NOT NULL,
  last_name          VARCHAR(100)    NOT NULL,
  email              VARCHAR(254)    NULL,
  phone              VARCHAR(40)     NULL,
  date_of_birth      DATE            NULL,
  national_id        VARCHAR(20)     NULL,
  iban               VARCHAR(34)     NULL,
  home_address_line1 VARCHAR(200)    NULL,
  home_address_line2 VARCHAR(200)    NULL,
  home_postal_code   VARCHAR(20)     NULL,
  home_city          VARCHAR(100)    NULL,
  country_code       CHAR(2)         NOT NULL DEFAULT 'DE',
  department_id      BIGINT UNSIGNED NULL,
  position_id        BIGINT UNSIGNED NULL,
  manager_employee_id BIGINT UNSIGNED NULL,
  plant_code         VARCHAR(10)     NULL,
  employment_type    ENUM('full_time','part_time','apprentice','contractor','working_student') NOT NULL DEFAULT 'full_time',
  hire_date          DATE            NOT NULL,
  termination_date   DATE            NULL,
  is_active          TINYINT(1)      NOT NULL DEFAULT 1,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (employee_id),
  UNIQUE KEY uq_employee_personnel_number (personnel_number),
  KEY ix_employee_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Employee master data';

CREATE TABLE employee_salary (
  salary_id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  employee_id        BIGINT UNSIGNED NOT NULL,
  valid_from         DATE            NOT NULL,
  valid_to           DATE            NULL,
  annual_salary      DECIMAL(18,4)   NOT NULL,
  bonus_target       DECIMAL(18,4)   NULL,
  currency_code      CHAR(3)         NOT NULL DEFAULT 'EUR',
  pay_grade          VARCHAR(10)     NULL,
  change_reason      ENUM('hire','merit','promotion','market_adjustment','collective_agreement') NOT NULL,
  approved_by        VARCHAR(50)     NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (salary_id),
  UNIQUE KEY uq_employee_salary (employee_id, valid_from),
  KEY ix_employee_salary_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Salary history per employee (name-prefix twin of employee)';

CREATE TABLE absence_request (
  absence_id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  employee_id        BIGINT UNSIGNED NOT NULL,
  absence_type       ENUM('vacation','sick_leave','parental_leave','training','unpaid') NOT NULL,
  start_date         DATE            NOT NULL,
  end_date           DATE            NOT NULL,
  days               DECIMAL(5,2)    NOT NULL,
  status             ENUM('requested','approved','rejected','cancelled') NOT NULL DEFAULT 'requested',
  reason_text        TEXT            NULL,
  approved_by_employee_id BIGINT UNSIGNED NULL,
  created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (absence_id),
  KEY ix_absence_request_employee (employee_id),
  KEY ix_absence_request_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Vacation, sick leave and other absences';

CREATE TABLE time_clock_event (
  event_id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  employee_id        BIGINT UNSIGNED NOT NULL,
  terminal_id        VARCHAR(20)     NOT NULL,
  event_type         ENUM('clock_in','clock_out','break_start','break_end') NOT NULL,
  occurred_at        DATETIME        NOT NULL,
  is_manual_correction TINYINT(1)    NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id),
  KEY ix_time_clock_event_employee (employee_id, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Insert-only badge terminal events (clock in and out)';

CREATE TABLE applicant (
  applicant_id       BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  position_id        BIGINT UNSIGNED NULL,
  first_name         VARCHAR(100)    NOT NULL,
  last_name          VARCHAR(100)    NOT NULL,
  email              VARCHAR(254)    NOT NULL,
  phone              VARCHAR(40)     NULL,
  date_of_birth      DATE            NULL,
  cv_text            TEXT            NULL,
  expected_salary    DECIMAL(18,4)   NULL,
  status             ENUM('received','screening','interview','offer','hired','rejected','withdrawn') NOT NULL DEFAULT 'received',
  applied_at         DATETIME        NOT NULL,
  updated_at         TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (applicant_id),
  KEY ix_applicant_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='Job applicants (recruiting)';
