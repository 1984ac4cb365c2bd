"""Contains all the data models used in inputs/outputs"""

from .admission_view import AdmissionView
from .allocation_create_request import AllocationCreateRequest
from .allocation_node_view import AllocationNodeView
from .allocation_state import AllocationState
from .allocation_view import AllocationView
from .approval_rule import ApprovalRule
from .as_of import AsOf
from .audit_break import AuditBreak
from .audit_event_view import AuditEventView
from .audit_verify_report import AuditVerifyReport
from .balance_summary import BalanceSummary
from .balance_view import BalanceView
from .cache_outcome import CacheOutcome
from .capacity_cell import CapacityCell
from .capacity_dashboard import CapacityDashboard
from .capacity_history_point import CapacityHistoryPoint
from .capacity_view import CapacityView
from .charge_request import ChargeRequest
from .check_result import CheckResult
from .cluster_create_request import ClusterCreateRequest
from .cluster_create_request_variables import ClusterCreateRequestVariables
from .cluster_node_view import ClusterNodeView
from .cluster_scale_request import ClusterScaleRequest
from .cluster_state import ClusterState
from .cluster_view import ClusterView
from .consumer_lag import ConsumerLag
from .context_ownership import ContextOwnership
from .cpu import Cpu
from .credit_limit_request import CreditLimitRequest
from .credit_request import CreditRequest
from .day_amount import DayAmount
from .decommission_mode import DecommissionMode
from .delivery_attempt import DeliveryAttempt
from .delivery_state import DeliveryState
from .delivery_view import DeliveryView
from .delivery_view_payload import DeliveryViewPayload
from .deploy_counts import DeployCounts
from .deploy_day import DeployDay
from .device_authorization import DeviceAuthorization
from .device_authorization_request import DeviceAuthorizationRequest
from .device_decision_request import DeviceDecisionRequest
from .device_grant_state import DeviceGrantState
from .device_grant_view import DeviceGrantView
from .device_token_request import DeviceTokenRequest
from .disk import Disk
from .disk_kind import DiskKind
from .drift_count import DriftCount
from .drift_view import DriftView
from .erase_mode import EraseMode
from .erasure_record import ErasureRecord
from .escalation_policy import EscalationPolicy
from .extend_request import ExtendRequest
from .field_error import FieldError
from .force_release_request import ForceReleaseRequest
from .generation_status import GenerationStatus
from .gpu import Gpu
from .handover import Handover
from .hardware_facts import HardwareFacts
from .health_action import HealthAction
from .health_condition import HealthCondition
from .health_dashboard import HealthDashboard
from .health_report import HealthReport
from .image_view import ImageView
from .incident_note_request import IncidentNoteRequest
from .incident_state import IncidentState
from .incident_view import IncidentView
from .interconnect import Interconnect
from .invitation_create_request import InvitationCreateRequest
from .invitation_view import InvitationView
from .kyc_decision import KycDecision
from .kyc_decision_request import KycDecisionRequest
from .kyc_level import KycLevel
from .kyc_personal_data import KycPersonalData
from .kyc_personal_data_get_response_200 import KycPersonalDataGetResponse200
from .kyc_review_view import KycReviewView
from .kyc_state import KycState
from .kyc_submit_request import KycSubmitRequest
from .kyc_summary import KycSummary
from .kyc_view import KycView
from .kyc_webhook_body import KycWebhookBody
from .ledger_entry_view import LedgerEntryView
from .ledger_verify_report import LedgerVerifyReport
from .login_request import LoginRequest
from .maintenance_request import MaintenanceRequest
from .maintenance_window import MaintenanceWindow
from .me_view import MeView
from .me_view_credential import MeViewCredential
from .member_add_request import MemberAddRequest
from .member_update_request import MemberUpdateRequest
from .member_view import MemberView
from .membership_view import MembershipView
from .money import Money
from .nic import Nic
from .node_history_entry import NodeHistoryEntry
from .node_import_report import NodeImportReport
from .node_import_request import NodeImportRequest
from .node_import_row import NodeImportRow
from .node_operation_request import NodeOperationRequest
from .node_operation_view import NodeOperationView
from .node_phase import NodePhase
from .node_since import NodeSince
from .node_state import NodeState
from .node_view import NodeView
from .notification_view import NotificationView
from .offer_set_request import OfferSetRequest
from .offer_view import OfferView
from .onboard_report import OnboardReport
from .onboarding_queue import OnboardingQueue
from .overview_allocation import OverviewAllocation
from .owner_role import OwnerRole
from .ownership_registry import OwnershipRegistry
from .ownership_registry_on_call import OwnershipRegistryOnCall
from .page_allocation_view import PageAllocationView
from .page_allocation_view_items_item import PageAllocationViewItemsItem
from .page_audit_event_view import PageAuditEventView
from .page_audit_event_view_items_item import PageAuditEventViewItemsItem
from .page_incident_view import PageIncidentView
from .page_incident_view_items_item import PageIncidentViewItemsItem
from .page_ledger_entry_view import PageLedgerEntryView
from .page_ledger_entry_view_items_item import PageLedgerEntryViewItemsItem
from .page_node_view import PageNodeView
from .page_node_view_items_item import PageNodeViewItemsItem
from .password_change_request import PasswordChangeRequest
from .password_reset_confirm import PasswordResetConfirm
from .password_reset_request import PasswordResetRequest
from .placement import Placement
from .placement_policy import PlacementPolicy
from .platform_role import PlatformRole
from .platform_roles_request import PlatformRolesRequest
from .posture_token import PostureToken
from .posture_view import PostureView
from .problem import Problem
from .project_create_request import ProjectCreateRequest
from .project_member_set_request import ProjectMemberSetRequest
from .project_member_view import ProjectMemberView
from .project_role import ProjectRole
from .project_view import ProjectView
from .projection_ownership import ProjectionOwnership
from .projection_status import ProjectionStatus
from .quarantine_request import QuarantineRequest
from .quota_entry import QuotaEntry
from .quota_use import QuotaUse
from .quotas_set_request import QuotasSetRequest
from .quotas_view import QuotasView
from .reconcile_report import ReconcileReport
from .recovery_codes import RecoveryCodes
from .refusal_type_0 import RefusalType0
from .refusal_type_0_reason import RefusalType0Reason
from .refusal_type_1 import RefusalType1
from .refusal_type_1_reason import RefusalType1Reason
from .refusal_type_2 import RefusalType2
from .refusal_type_2_reason import RefusalType2Reason
from .refusal_type_3 import RefusalType3
from .refusal_type_3_reason import RefusalType3Reason
from .refusal_type_4 import RefusalType4
from .refusal_type_4_reason import RefusalType4Reason
from .refusal_type_5 import RefusalType5
from .refusal_type_5_reason import RefusalType5Reason
from .release_request import ReleaseRequest
from .rendered_user_data import RenderedUserData
from .revenue_cell import RevenueCell
from .revenue_dashboard import RevenueDashboard
from .revenue_day import RevenueDay
from .revenue_totals import RevenueTotals
from .session_created import SessionCreated
from .session_view import SessionView
from .severity import Severity
from .signup_request import SignupRequest
from .site_binding_request import SiteBindingRequest
from .site_binding_view import SiteBindingView
from .site_create_request import SiteCreateRequest
from .site_policy import SitePolicy
from .site_status import SiteStatus
from .site_view import SiteView
from .sku_change_report import SkuChangeReport
from .sku_constraints import SkuConstraints
from .sku_create_request import SkuCreateRequest
from .sku_move_view import SkuMoveView
from .sku_update_request import SkuUpdateRequest
from .sku_view import SkuView
from .ssh_key_create_request import SshKeyCreateRequest
from .ssh_key_view import SshKeyView
from .statement_view import StatementView
from .status_change import StatusChange
from .stopping_allocation import StoppingAllocation
from .template_choice import TemplateChoice
from .template_choice_variables import TemplateChoiceVariables
from .template_request import TemplateRequest
from .template_values import TemplateValues
from .template_values_variables import TemplateValuesVariables
from .template_variable import TemplateVariable
from .template_view import TemplateView
from .tenant_create_request import TenantCreateRequest
from .tenant_overview import TenantOverview
from .tenant_role import TenantRole
from .tenant_update_request import TenantUpdateRequest
from .tenant_view import TenantView
from .timeline_entry import TimelineEntry
from .token_create_request import TokenCreateRequest
from .token_created import TokenCreated
from .token_view import TokenView
from .top_up_request import TopUpRequest
from .top_up_status import TopUpStatus
from .top_up_view import TopUpView
from .totp_code_request import TotpCodeRequest
from .totp_enrolment import TotpEnrolment
from .usage_line import UsageLine
from .usage_view import UsageView
from .user_data_kind import UserDataKind
from .user_view import UserView
from .utilisation_point import UtilisationPoint
from .variable_kind import VariableKind
from .webhook_ack import WebhookAck
from .webhook_create_request import WebhookCreateRequest
from .webhook_created import WebhookCreated
from .webhook_event_type import WebhookEventType
from .webhook_update_request import WebhookUpdateRequest
from .webhook_view import WebhookView

__all__ = (
    "AdmissionView",
    "AllocationCreateRequest",
    "AllocationNodeView",
    "AllocationState",
    "AllocationView",
    "ApprovalRule",
    "AsOf",
    "AuditBreak",
    "AuditEventView",
    "AuditVerifyReport",
    "BalanceSummary",
    "BalanceView",
    "CacheOutcome",
    "CapacityCell",
    "CapacityDashboard",
    "CapacityHistoryPoint",
    "CapacityView",
    "ChargeRequest",
    "CheckResult",
    "ClusterCreateRequest",
    "ClusterCreateRequestVariables",
    "ClusterNodeView",
    "ClusterScaleRequest",
    "ClusterState",
    "ClusterView",
    "ConsumerLag",
    "ContextOwnership",
    "Cpu",
    "CreditLimitRequest",
    "CreditRequest",
    "DayAmount",
    "DecommissionMode",
    "DeliveryAttempt",
    "DeliveryState",
    "DeliveryView",
    "DeliveryViewPayload",
    "DeployCounts",
    "DeployDay",
    "DeviceAuthorization",
    "DeviceAuthorizationRequest",
    "DeviceDecisionRequest",
    "DeviceGrantState",
    "DeviceGrantView",
    "DeviceTokenRequest",
    "Disk",
    "DiskKind",
    "DriftCount",
    "DriftView",
    "EraseMode",
    "ErasureRecord",
    "EscalationPolicy",
    "ExtendRequest",
    "FieldError",
    "ForceReleaseRequest",
    "GenerationStatus",
    "Gpu",
    "Handover",
    "HardwareFacts",
    "HealthAction",
    "HealthCondition",
    "HealthDashboard",
    "HealthReport",
    "ImageView",
    "IncidentNoteRequest",
    "IncidentState",
    "IncidentView",
    "Interconnect",
    "InvitationCreateRequest",
    "InvitationView",
    "KycDecision",
    "KycDecisionRequest",
    "KycLevel",
    "KycPersonalData",
    "KycPersonalDataGetResponse200",
    "KycReviewView",
    "KycState",
    "KycSubmitRequest",
    "KycSummary",
    "KycView",
    "KycWebhookBody",
    "LedgerEntryView",
    "LedgerVerifyReport",
    "LoginRequest",
    "MaintenanceRequest",
    "MaintenanceWindow",
    "MemberAddRequest",
    "MembershipView",
    "MemberUpdateRequest",
    "MemberView",
    "MeView",
    "MeViewCredential",
    "Money",
    "Nic",
    "NodeHistoryEntry",
    "NodeImportReport",
    "NodeImportRequest",
    "NodeImportRow",
    "NodeOperationRequest",
    "NodeOperationView",
    "NodePhase",
    "NodeSince",
    "NodeState",
    "NodeView",
    "NotificationView",
    "OfferSetRequest",
    "OfferView",
    "OnboardingQueue",
    "OnboardReport",
    "OverviewAllocation",
    "OwnerRole",
    "OwnershipRegistry",
    "OwnershipRegistryOnCall",
    "PageAllocationView",
    "PageAllocationViewItemsItem",
    "PageAuditEventView",
    "PageAuditEventViewItemsItem",
    "PageIncidentView",
    "PageIncidentViewItemsItem",
    "PageLedgerEntryView",
    "PageLedgerEntryViewItemsItem",
    "PageNodeView",
    "PageNodeViewItemsItem",
    "PasswordChangeRequest",
    "PasswordResetConfirm",
    "PasswordResetRequest",
    "Placement",
    "PlacementPolicy",
    "PlatformRole",
    "PlatformRolesRequest",
    "PostureToken",
    "PostureView",
    "Problem",
    "ProjectCreateRequest",
    "ProjectionOwnership",
    "ProjectionStatus",
    "ProjectMemberSetRequest",
    "ProjectMemberView",
    "ProjectRole",
    "ProjectView",
    "QuarantineRequest",
    "QuotaEntry",
    "QuotasSetRequest",
    "QuotasView",
    "QuotaUse",
    "ReconcileReport",
    "RecoveryCodes",
    "RefusalType0",
    "RefusalType0Reason",
    "RefusalType1",
    "RefusalType1Reason",
    "RefusalType2",
    "RefusalType2Reason",
    "RefusalType3",
    "RefusalType3Reason",
    "RefusalType4",
    "RefusalType4Reason",
    "RefusalType5",
    "RefusalType5Reason",
    "ReleaseRequest",
    "RenderedUserData",
    "RevenueCell",
    "RevenueDashboard",
    "RevenueDay",
    "RevenueTotals",
    "SessionCreated",
    "SessionView",
    "Severity",
    "SignupRequest",
    "SiteBindingRequest",
    "SiteBindingView",
    "SiteCreateRequest",
    "SitePolicy",
    "SiteStatus",
    "SiteView",
    "SkuChangeReport",
    "SkuConstraints",
    "SkuCreateRequest",
    "SkuMoveView",
    "SkuUpdateRequest",
    "SkuView",
    "SshKeyCreateRequest",
    "SshKeyView",
    "StatementView",
    "StatusChange",
    "StoppingAllocation",
    "TemplateChoice",
    "TemplateChoiceVariables",
    "TemplateRequest",
    "TemplateValues",
    "TemplateValuesVariables",
    "TemplateVariable",
    "TemplateView",
    "TenantCreateRequest",
    "TenantOverview",
    "TenantRole",
    "TenantUpdateRequest",
    "TenantView",
    "TimelineEntry",
    "TokenCreated",
    "TokenCreateRequest",
    "TokenView",
    "TopUpRequest",
    "TopUpStatus",
    "TopUpView",
    "TotpCodeRequest",
    "TotpEnrolment",
    "UsageLine",
    "UsageView",
    "UserDataKind",
    "UserView",
    "UtilisationPoint",
    "VariableKind",
    "WebhookAck",
    "WebhookCreated",
    "WebhookCreateRequest",
    "WebhookEventType",
    "WebhookUpdateRequest",
    "WebhookView",
)
